export function NewPlanPage(_props: { channelId?: string }) {
  return <p>Creating a plan from the tab is being built.</p>;
}
