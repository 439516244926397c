import { CrossbeamImport, type CrossbeamImportResult } from '@cosell/shared';

/*
 * A Crossbeam export read in the browser with the shared import (the code the API runs): the file is read
 * in slices, each handed to the import as it arrives, and the page gets a turn between slices to show the
 * progress — a large export never freezes the tab, and only the account tallies are kept, not the file.
 */

/** Bytes read per slice. */
export const SLICE_BYTES = 256 * 1024;

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Gives the browser a turn (to paint the progress, to take a click on Cancel). */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function readCrossbeamFile(
  file: Blob & { name?: string },
  onProgress: (progress: ReadProgress) => void,
  signal?: AbortSignal,
): Promise<CrossbeamImportResult> {
  const name = (file.name ?? '').toLowerCase();
  const format = name.endsWith('.json') ? 'json' : name.endsWith('.csv') ? 'csv' : 'auto';
  const run = new CrossbeamImport({ format });
  const totalBytes = file.size;
  let offset = 0;
  onProgress({ bytesRead: 0, totalBytes });
  while (offset < totalBytes) {
    signal?.throwIfAborted();
    const end = Math.min(offset + SLICE_BYTES, totalBytes);
    const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
    offset = end;
    const more = run.push(bytes);
    onProgress({ bytesRead: offset, totalBytes });
    if (!more) break;
    await nextTurn();
  }
  signal?.throwIfAborted();
  return run.finish();
}
