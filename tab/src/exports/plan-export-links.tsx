import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/client';

/*
 * Downloads of a plan (issue 10): the plan as JSON (`GET /api/plans/{id}/export.json`, what the reader may
 * see of it) and as PDF (`GET /api/plans/{id}/pdf`, routes-documents.ts). Fetched through the API client,
 * so the request carries the person's sign-in, then saved under the name the API gives.
 */

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** Saves `blob` as `fileName` (a temporary link, clicked). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Buttons that download from the API and show what went wrong in words. */
export function DownloadButton({ path, label, what }: { path: string; label: string; what: string }) {
  const api = useApi();
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return (
    <span className={styles.row}>
      <Button
        appearance="subtle"
        disabledFocusable={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            const { blob, fileName } = await api.download(path);
            saveBlob(blob, fileName);
          } catch (e) {
            setError(e instanceof ApiError ? e.detail : `The ${what} could not be downloaded.`);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? `Preparing the ${what}…` : label}
      </Button>
      {error && (
        <Text role="alert" size={200} className={styles.error}>
          {error}
        </Text>
      )}
    </span>
  );
}

export function PlanExportLinks({ planId }: { planId: string }) {
  const styles = useStyles();
  const base = `/plans/${encodeURIComponent(planId)}`;
  return (
    <span className={styles.row}>
      <DownloadButton path={`${base}/pdf`} label="Download PDF" what="PDF" />
      <DownloadButton path={`${base}/export.json`} label="Download JSON" what="JSON export" />
    </span>
  );
}
