import { lazy, Suspense, useSyncExternalStore } from 'react';
import type { TabAuth } from '../host/auth';

// The banner (and the Fluent parts it uses) is loaded only when someone has to sign in again.
const SignInBanner = lazy(() => import('./sign-in-banner').then((m) => ({ default: m.SignInBanner })));

/** Shows "Sign in again" while the tab's sign-in state says so; nothing otherwise. */
export function SignInGate({ auth }: { auth: TabAuth }) {
  const state = useSyncExternalStore(auth.subscribe, auth.state);
  if (state !== 'sign-in-required') return null;
  return (
    <Suspense fallback={null}>
      <SignInBanner auth={auth} />
    </Suspense>
  );
}
