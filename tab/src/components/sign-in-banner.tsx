import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { TabAuth } from '../host/auth';

/*
 * "Sign in again": shown when the API refused the tab's token even after a silent refresh, or no token
 * could be had (tab/src/host/auth.ts). In Teams the button asks the host (which may show its consent or
 * sign-in prompt); in a browser it goes to the Microsoft sign-in page. Then the page starts over.
 */
export function SignInBanner({ auth }: { auth: TabAuth }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>();
  const signIn = () => {
    setBusy(true);
    setFailed(undefined);
    auth.signInAgain().then(
      () => window.location.reload(),
      (error: unknown) => {
        setBusy(false);
        setFailed(error instanceof Error ? error.message : String(error));
      },
    );
  };
  return (
    <MessageBar intent="warning" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>Sign in again</MessageBarTitle>
        Your sign-in has expired or was not accepted, so the plans cannot be loaded.
        {failed ? ` Signing in did not work: ${failed}` : ''}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={signIn} disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in again'}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
