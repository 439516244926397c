import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedCalendarGateway } from '../../functions/src/adapters/embedded-calendar';
import { GraphCalendarGateway } from '../../functions/src/adapters/graph-calendar';
import { openCalendar } from '../../functions/src/composition';
import { ConfigError, readConfig } from '../../functions/src/config';

/* Which calendar the weekly cadence is booked in, as the environment says (config.ts, composition.ts). */

const SHAREPOINT = {
  COSELL_STORE: 'sharepoint',
  SHAREPOINT_SITE: 'https://contoso.sharepoint.com/sites/cosell',
  GRAPH_TENANT_ID: '6f2c1e8a-3b4d-4c5e-9f60-7a8b9c0d1e2f',
  GRAPH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
  GRAPH_CLIENT_SECRET: 'not-a-real-secret',
};

const clock = { now: () => new Date('2026-10-10T08:00:00Z') };

function configError(env: Record<string, string>): string {
  try {
    readConfig(env, '/work');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('calendar selection', () => {
  it('the embedded calendar beside the SQLite plans by default', () => {
    expect(readConfig({}, '/work').calendar).toEqual({
      kind: 'embedded',
      file: '/work/.data/calendar.sqlite',
    });
    expect(readConfig({ COSELL_DATA_DIR: '/srv/cosell' }, '/work').calendar).toEqual({
      kind: 'embedded',
      file: '/srv/cosell/calendar.sqlite',
    });
  });

  it('Outlook through Graph with the SharePoint store, organised by a mailbox when one is named', () => {
    const graph = readConfig(SHAREPOINT, '/work');
    expect(graph.calendar).toEqual({
      kind: 'graph',
      graph: graph.store.kind === 'sharepoint' ? graph.store.graph : undefined,
    });
    expect(
      readConfig({ ...SHAREPOINT, COSELL_ORGANISER_MAILBOX: 'co-sell@contoso.com' }, '/work').calendar,
    ).toMatchObject({
      kind: 'graph',
      organiserMailbox: 'co-sell@contoso.com',
    });
  });

  it('refuses an organiser mailbox that is not an address, or one without Outlook', () => {
    expect(configError({ ...SHAREPOINT, COSELL_ORGANISER_MAILBOX: 'not a mailbox' })).toMatch(
      /COSELL_ORGANISER_MAILBOX must be the address/,
    );
    expect(configError({ COSELL_ORGANISER_MAILBOX: 'co-sell@contoso.com' })).toMatch(
      /COSELL_STORE=sharepoint/,
    );
  });

  it('the composition opens the adapter the configuration names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-calendar-config-'));
    try {
      const embedded = openCalendar(readConfig({ COSELL_DATA_DIR: dir }, '/work'), clock);
      expect(embedded.gateway).toBeInstanceOf(EmbeddedCalendarGateway);
      expect(embedded.gateway.capabilities.freeBusy).toBe(false);
      embedded.close();
      expect(fs.existsSync(path.join(dir, 'calendar.sqlite'))).toBe(true);
      const outlook = openCalendar(
        readConfig({ ...SHAREPOINT, COSELL_ORGANISER_MAILBOX: 'co-sell@contoso.com' }, '/work'),
        clock,
      );
      expect(outlook.gateway).toBeInstanceOf(GraphCalendarGateway);
      expect(outlook.gateway.capabilities).toEqual({
        freeBusy: true,
        onlineMeeting: true,
        sendsInvitations: true,
      });
      expect(outlook.organiserMailbox).toBe('co-sell@contoso.com');
      outlook.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
