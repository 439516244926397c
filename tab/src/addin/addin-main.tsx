import { toIsoDate } from '@cosell/shared';
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  webLightTheme,
} from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAddinApi } from './addin-api';
import { createAddinAuth } from './addin-auth';
import { AddinPane } from './addin-pane';
import { connectToOffice } from './office-host';

/*
 * The entry of addin.html, the task pane of the Outlook add-in (manifest `extensions[0].runtimes`).
 * Office.js is already on the page (addin.html loads it from Microsoft's CDN before this script).
 */

const container = document.getElementById('root');
if (!container) throw new Error('addin.html has no element with id "root"');
const root = createRoot(container);

function show(node: React.ReactNode) {
  root.render(
    <StrictMode>
      <FluentProvider theme={webLightTheme}>{node}</FluentProvider>
    </StrictMode>,
  );
}

function Stopped({ title, message }: { title: string; message: string }) {
  return (
    <main style={{ padding: '16px' }}>
      <h1 style={{ fontSize: '20px', margin: '0 0 12px 0' }}>Co-Sell Plan</h1>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{title}</MessageBarTitle>
          {message}
        </MessageBarBody>
      </MessageBar>
    </main>
  );
}

async function start() {
  show(
    <main style={{ padding: '16px' }}>
      <Spinner size="small" label="Connecting to Outlook…" />
    </main>,
  );
  const host = await connectToOffice();
  if (!host) {
    show(
      <Stopped
        title="Open this from Outlook"
        message='This page is the Co-Sell Plan add-in for Outlook. Open a meeting in Outlook and choose "Add co-sell plan" or "Open co-sell plan".'
      />,
    );
    return;
  }
  let api: ReturnType<typeof createAddinApi>;
  try {
    const auth = await createAddinAuth(host);
    api = createAddinApi(auth.tokens ? { tokens: auth.tokens } : {});
  } catch (error) {
    show(<Stopped title="Not signed in" message={error instanceof Error ? error.message : String(error)} />);
    return;
  }
  show(
    <AddinPane
      host={host}
      item={host.currentItem()}
      api={api}
      today={toIsoDate(new Date())}
      tabOrigin={window.location.origin}
    />,
  );
}

void start();
