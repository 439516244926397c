/*
 * The first view (the plan drawn without React) and the React app share the page for a moment: the
 * first view is in #first-view and the app renders, hidden, into #root. When the app's plan page has
 * its content to show, in the same commit (a layout effect, before the browser paints), it ends the
 * first view: the first view goes and the app shows, so a person never sees both, nor a blank page or a
 * loading message between them.
 */

const FIRST_VIEW_ID = 'first-view';

/** Whether the plan is on screen, drawn by the first view (the React page then shows it whole at once). */
export function isFirstViewShown(): boolean {
  return document.getElementById(FIRST_VIEW_ID) !== null;
}

/** Puts the first view on the page, before the (hidden) app root. */
export function showFirstView(root: HTMLElement, view: HTMLElement): void {
  const holder = document.createElement('div');
  holder.id = FIRST_VIEW_ID;
  holder.append(view);
  root.hidden = true;
  root.before(holder);
  // Leaving the plan (a link of the first view, the back button) hands the page to the app at once.
  window.addEventListener('hashchange', endFirstView, { once: true });
}

/** Removes the first view and shows the app; does nothing when there is no first view. */
export function endFirstView(): void {
  const holder = document.getElementById(FIRST_VIEW_ID);
  if (!holder) return;
  holder.remove();
  const root = document.getElementById('root');
  if (root) root.hidden = false;
  window.removeEventListener('hashchange', endFirstView);
}
