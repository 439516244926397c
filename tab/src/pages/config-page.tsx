export function ConfigPage() {
  return <p>The channel tab configuration page is being built.</p>;
}
