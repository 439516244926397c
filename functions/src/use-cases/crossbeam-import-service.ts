import { createHash } from 'node:crypto';
import {
  CrossbeamImport,
  type CrossbeamImportErrorCode,
  type CrossbeamPreview,
  type CrossbeamProblem,
  draftPlanFromOverlaps,
  type IsoDate,
  type NeededOwner,
  normaliseRecordName,
  type OverlapAccount,
  type OwnerInput,
  type Plan,
  PlanExistsError,
} from '@cosell/shared';
import { AppError, type FieldError } from '../app-error';
import type { Caller } from '../identity/authenticator';
import type { PlanAccess } from './plan-access';

/*
 * Crossbeam overlaps → a preview → a new plan (issue 10, SPEC §6 "Data in").
 *
 * - Preview: the file's bytes are fed to the shared `CrossbeamImport` chunk by chunk as they are read, the
 *   same code the tab runs in the browser and `npm run bench:import` measures. A CSV is parsed and grouped
 *   as it streams (only one tally per account is kept); the API JSON of one page is parsed at the end.
 * - Plan: the chosen 1 to 5 accounts (as the preview gave them) become a draft co-sell plan through
 *   `draftPlanFromOverlaps`, created through PlanAccess (only the vendor side creates plans). The plan id
 *   is derived from the source — the partner and the accounts' keys — so importing the same selection twice
 *   gives the same id, and the caller-chosen-id create answers the plan made the first time instead of a
 *   second plan.
 */

/** The largest file the preview reads: 10,000 rows of a wide export (about 800 bytes a row) fit. */
export const CROSSBEAM_MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** The slice size when the body is already in memory (the local host buffers bodies). */
const SLICE = 64 * 1024;

export interface CrossbeamImportDeps {
  access: PlanAccess;
  today: () => IsoDate;
  /** Rows one preview reads (default CROSSBEAM_IMPORT_LIMITS.maxRows); the benchmark raises it. */
  maxRows?: number;
}

/** The accounts, partner and owners of a plan to create from a preview. */
export interface ImportPlanInput {
  partnerName: string;
  title?: string;
  accounts: OverlapAccount[];
  owners?: OwnerInput[];
  /** The Teams channel to show the new plan in. */
  channelId?: string;
}

export interface ImportPlanResult {
  plan: Plan;
  created: boolean;
  /** The owners the export names whose email is still missing: the person adds them on the plan. */
  needsOwners: NeededOwner[];
}

const IMPORT_ERROR_PATH: Record<CrossbeamImportErrorCode, string> = {
  empty: 'file',
  'byte-order-mark': 'file',
  'utf-16': 'file',
  'not-utf-8': 'file',
  'not-csv': 'file',
  'no-account-column': 'file.headers',
  'no-rows': 'file.rows',
  'too-many-rows': 'file.rows',
  'not-json': 'file',
  'unexpected-json': 'file',
};

export function importProblem(error: CrossbeamProblem<CrossbeamImportErrorCode>): AppError {
  const path = IMPORT_ERROR_PATH[error.code];
  return new AppError('IMPORT_REJECTED', error.message, {
    errors: [{ path, pointer: `/${path.replace(/\./g, '/')}`, message: error.message }],
    extensions: { importError: error.code },
  });
}

/**
 * The plan id of an import: `xb-` and 32 hex digits of SHA-256 over the partner (normalised) and the sorted
 * account keys. The same selection of the same partner gives the same id, whatever the order of picking.
 */
export function importPlanId(partnerName: string, accounts: readonly Pick<OverlapAccount, 'key'>[]): string {
  const source = JSON.stringify({
    partner: normaliseRecordName(partnerName),
    accounts: [...new Set(accounts.map((a) => a.key))].sort(),
  });
  return `xb-${createHash('sha256').update(source).digest('hex').slice(0, 32)}`;
}

export class CrossbeamImportService {
  constructor(private readonly deps: CrossbeamImportDeps) {}

  /** Reads `chunks` in order (stopping early once the outcome is known) and answers the preview. */
  async preview(chunks: AsyncIterable<Uint8Array>, format: 'csv' | 'json'): Promise<CrossbeamPreview> {
    const run = new CrossbeamImport({
      format,
      ...(this.deps.maxRows === undefined ? {} : { maxRows: this.deps.maxRows }),
    });
    for await (const chunk of chunks) {
      if (!run.push(chunk)) break;
    }
    const result = run.finish();
    if (!result.ok) throw importProblem(result.error);
    return result.preview;
  }

  async createPlan(input: ImportPlanInput, caller: Caller): Promise<ImportPlanResult> {
    const draft = draftPlanFromOverlaps(input.accounts, {
      today: this.deps.today(),
      partnerName: input.partnerName,
      ...(input.title !== undefined && input.title.trim() !== '' ? { title: input.title } : {}),
      ...(input.owners ? { owners: input.owners } : {}),
    });
    if (!draft.ok) {
      const path =
        draft.error.code === 'pick-count' || draft.error.code === 'no-domain'
          ? 'accounts'
          : draft.error.code === 'invalid' && input.owners?.length
            ? 'owners'
            : '(body)';
      const error: FieldError = {
        path,
        pointer: path === '(body)' ? '' : `/${path}`,
        message: draft.error.message,
      };
      throw new AppError('VALIDATION_FAILED', `The plan was not created: ${draft.error.message}`, {
        errors: [error],
      });
    }
    const content = input.channelId ? { ...draft.plan, channelIds: [input.channelId] } : draft.plan;
    const id = importPlanId(input.partnerName, input.accounts);
    try {
      const { plan, created } = await this.deps.access.create(content, caller, id);
      return { plan, created, needsOwners: draft.needsOwners };
    } catch (error) {
      if (!(error instanceof PlanExistsError)) throw error;
      // Imported before (by this caller on another day, or by someone else): that plan, if they may read it.
      try {
        return { plan: await this.deps.access.get(id, caller), created: false, needsOwners: [] };
      } catch (readError) {
        if (readError instanceof AppError && readError.code === 'NOT_FOUND') {
          throw new AppError(
            'PLAN_EXISTS',
            'These accounts with this partner were imported into a plan already, and you are not named on it. Ask its owners to add you.',
          );
        }
        throw readError;
      }
    }
  }
}

/** A body already in memory, as chunks. */
export async function* slices(bytes: Uint8Array, size = SLICE): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}
