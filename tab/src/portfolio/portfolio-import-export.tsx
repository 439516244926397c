import { Link } from '@fluentui/react-components';
import { DownloadButton } from '../exports/plan-export-links';
import { importHref } from '../routing';

/** The portfolio's import link and CSV download (issue 10), for its toolbar. */
export function PortfolioImportExport({ channelId, csv = true }: { channelId?: string; csv?: boolean }) {
  const query = channelId ? `?channel=${encodeURIComponent(channelId)}` : '';
  return (
    <>
      <Link href={importHref(channelId)}>Import from Crossbeam</Link>
      {csv && <DownloadButton path={`/plans/export.csv${query}`} label="Download CSV" what="CSV export" />}
    </>
  );
}
