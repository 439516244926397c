import { createApiClient } from '../api/client';
import { createTabAuth } from '../host/auth';
import { hostOfThisPage } from '../host/teams-host';
import { startLoadingPlanData } from '../plan/plan-data';
import { showFirstView } from './handoff';
import { planIdInHash } from './plan-route';
import { type FirstView, renderPlanFirstView } from './render-plan';

/*
 * The tab's entry: small, and without React. Opening a plan (`#/plans/:id`) it asks the API for the plan
 * at once, and in a browser draws the plan from the answer with the DOM alone (render-plan.ts); the React
 * app (main.tsx, with Fluent) loads after that first frame and takes over the page when its plan page is
 * ready (handoff.ts), using the same answer. Any other page starts the app straight away.
 *
 * Its stylesheet, first-view.css, is in index.html itself (tab/vite.config.ts inlineFirstViewStylesheet).
 *
 * In a frame (Teams) there is no first view: the colours follow the Teams theme, which only the host can
 * tell, so the app draws the plan; the plan is still requested before the app has loaded.
 */

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no element with id "root"');

// The one API client of the tab: the first view's request goes out with the same headers as the app's.
// Signed by host/auth.ts (issue 6): nothing with the local identity; teams-js and MSAL load only when a
// token is needed. The app gets the same sign-in for its "Sign in again" banner.
const auth = createTabAuth({ host: hostOfThisPage });
const api = createApiClient({ tokens: auth });

function startApp(): void {
  void import('../main').then(({ startApp }) => startApp(root as HTMLElement, api, auth));
}

/** After the frame being prepared has been drawn: what runs then does not hold that frame back. */
function afterNextFrame(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then, 0));
}

const planId = planIdInHash(window.location.hash);
if (planId === undefined) {
  startApp();
} else {
  const data = startLoadingPlanData(api, planId);
  if (window.parent !== window) {
    startApp();
  } else {
    data.top
      .then(
        (top): FirstView | undefined => {
          // The person may have moved on while the plan was on its way.
          if (planIdInHash(window.location.hash) !== planId) return undefined;
          const first = renderPlanFirstView(top);
          showFirstView(root, first.view);
          // As the React page names it (components/use-document-title.ts).
          document.title = `${top.plan.title} · Co-Sell Plan`;
          return first;
        },
        () => undefined, // the app's plan page shows what went wrong
      )
      .then((first) =>
        // The app's code after the first frame: evaluating it would otherwise delay that frame.
        afterNextFrame(() => {
          startApp();
          void data.history.then((history) => first?.finish(history));
        }),
      );
  }
}
