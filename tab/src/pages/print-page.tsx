export function PrintPage(_props: { planId: string }) {
  return <p>The print page is being built.</p>;
}
