export function HistoryPage(_props: { planId: string }) {
  return <p>The history page is being built.</p>;
}
