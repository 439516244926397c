import { provisionSharePoint } from '../composition';
import { ConfigError, readConfig } from '../config';
import { GraphRequestError } from '../graph/graph-error';

/*
 * `npm run provision`: creates or completes the SharePoint lists and their indexed columns on the site in
 * SHAREPOINT_SITE, idempotently, printing each step. Safe to run again at any time. Needs the same Graph
 * settings as the SharePoint store (README: "Plans in SharePoint").
 */

async function main(): Promise<void> {
  const config = readConfig({ ...process.env, COSELL_STORE: 'sharepoint' });
  if (config.store.kind !== 'sharepoint') throw new ConfigError('provisioning needs the SharePoint settings');
  console.log(`Provisioning the Co-Sell Plan lists on ${config.store.site}…`);
  const lists = await provisionSharePoint(config, (line) => console.log(line));
  console.log(
    `Done: plans list ${lists.plansListId}, members list ${lists.membersListId} on site ${lists.siteId}.`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration: ${error.message}`);
  else if (error instanceof GraphRequestError) console.error(`Graph: ${error.message}`);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
