import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CalendarOrganiser, seriesIdempotencyKey } from '@cosell/shared';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CALENDAR_MIGRATIONS,
  type EmbeddedCalendarGateway,
  openEmbeddedCalendar,
} from '../../functions/src/adapters/embedded-calendar';
import { describeCalendarGatewayContract, parseIcsWithIcalJs } from './calendar-gateway-contract';

/*
 * The CalendarGateway contract against the embedded calendar on a real SQLite file, plus what only it
 * promises: its own file and migrations, durability across reopening.
 */

const clock = { now: () => new Date('2026-10-10T08:00:00.000Z') };
const ORGANISER: CalendarOrganiser = { kind: 'mailbox', address: 'ana.css@vendor.example', name: 'Ana' };

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-calendar-'));
}

describeCalendarGatewayContract('EmbeddedCalendarGateway (SQLite)', async () => {
  const dir = tempDir();
  const inner = openEmbeddedCalendar({ file: path.join(dir, 'calendar.sqlite'), clock });
  let loseNext = false;
  // The embedded calendar has no network between caller and store; a lost answer is the caller dying
  // right after the write committed, so the wrapper throws after the real call returned.
  const gateway = Object.create(inner) as EmbeddedCalendarGateway;
  gateway.createSeries = async (...args) => {
    const series = await inner.createSeries(...args);
    if (loseNext) {
      loseNext = false;
      throw new Error('the answer was lost');
    }
    return series;
  };
  return {
    gateway,
    organiser: ORGANISER,
    loseNextCreateAnswer: () => {
      loseNext = true;
    },
    countSeries: async (key) => inner.countByKey(key),
    parseIcs: parseIcsWithIcalJs,
    cleanup: async () => {
      inner.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('EmbeddedCalendarGateway on disk', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function file(): string {
    const dir = tempDir();
    dirs.push(dir);
    return path.join(dir, 'nested', 'calendar.sqlite');
  }

  it('keeps series, attachments and refreshed occurrences across reopening', async () => {
    const where = file();
    const first = openEmbeddedCalendar({ file: where, clock });
    const key = seriesIdempotencyKey('durable', 1);
    const series = await first.createSeries(
      ORGANISER,
      {
        planId: 'durable',
        subject: 'Weekly co-sell review: durable',
        schedule: {
          weekday: 'monday',
          time: '10:00',
          timeZone: 'Asia/Kolkata',
          startsOn: '2026-11-02',
          durationMinutes: 30,
        },
        attendees: [{ email: 'a@vendor.example', name: 'A' }],
        bodyHtml: '<p>v1</p>',
        bodyText: 'v1',
        planVersion: 1,
      },
      key,
    );
    await first.setSeriesAttachment(ORGANISER, series.id, {
      filename: 'plan.pdf',
      mimeType: 'application/pdf',
      bytes: new Uint8Array([1, 2, 3]),
    });
    const [occurrence] = await first.listOccurrences(
      ORGANISER,
      series.id,
      '2026-11-01T00:00:00Z',
      '2026-11-08T00:00:00Z',
    );
    expect(occurrence?.start).toBe('2026-11-02T04:30:00.000Z');
    await first.updateOccurrences(ORGANISER, series.id, [
      { occurrenceId: occurrence?.id ?? '', bodyHtml: '<p>v2</p>', bodyText: 'v2', planVersion: 2 },
    ]);
    first.close();

    const second = openEmbeddedCalendar({ file: where, clock });
    try {
      expect(second.migrations.applied).toEqual([]);
      const read = await second.findSeriesByKey(ORGANISER, key);
      expect(read?.attachment).toEqual({ filename: 'plan.pdf', mimeType: 'application/pdf', size: 3 });
      const stored = second.stored(series.id);
      expect(stored.attachment?.bytes).toEqual(new Uint8Array([1, 2, 3]));
      expect(stored.occurrences).toMatchObject([{ occurrenceId: occurrence?.id, planVersion: 2 }]);
      expect(stored.sequence).toBe(1);
    } finally {
      second.close();
    }
  });

  it('a cancelled series exports as an RFC 5546 cancellation of the same UID, with a higher SEQUENCE', async () => {
    const calendar = openEmbeddedCalendar({ file: file(), clock });
    try {
      const series = await calendar.createSeries(
        ORGANISER,
        {
          planId: 'gone',
          subject: 'Weekly co-sell review: gone',
          schedule: {
            weekday: 'monday',
            time: '10:00',
            timeZone: 'UTC',
            startsOn: '2026-11-02',
            durationMinutes: 30,
          },
          attendees: [{ email: 'a@vendor.example', name: 'A' }],
          bodyHtml: '<p>v1</p>',
          bodyText: 'v1',
          planVersion: 1,
        },
        seriesIdempotencyKey('gone', 1),
      );
      const booked = await calendar.exportIcs(ORGANISER, series.id);
      await calendar.cancelSeries(ORGANISER, series.id, 'The plan was won');
      const cancelled = await calendar.exportIcs(ORGANISER, series.id);
      const field = (ics: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(ics)?.[1]?.trim();
      expect(field(booked, 'METHOD')).toBe('REQUEST');
      expect(field(cancelled, 'METHOD')).toBe('CANCEL');
      expect(field(cancelled, 'STATUS')).toBe('CANCELLED');
      expect(field(cancelled, 'UID')).toBe(field(booked, 'UID'));
      expect(Number(field(cancelled, 'SEQUENCE'))).toBeGreaterThan(Number(field(booked, 'SEQUENCE')));
      expect(parseIcsWithIcalJs(cancelled).rrule).toMatch(/FREQ=WEEKLY;BYDAY=MO/);
    } finally {
      calendar.close();
    }
  });

  it('lives in its own file with its own migrations', () => {
    const where = file();
    const calendar = openEmbeddedCalendar({ file: where, clock });
    calendar.close();
    const raw = new Database(where, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(CALENDAR_MIGRATIONS.length);
      const tables = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(['calendar_attachments', 'calendar_occurrences', 'calendar_series']);
    } finally {
      raw.close();
    }
  });

  it('one key is one row even from two connections to one file', async () => {
    const where = file();
    const a = openEmbeddedCalendar({ file: where, clock, newId: () => 'from-a' });
    const b = openEmbeddedCalendar({ file: where, clock, newId: () => 'from-b' });
    try {
      const key = seriesIdempotencyKey('two-writers', 1);
      const body = {
        planId: 'two-writers',
        subject: 'S',
        schedule: {
          weekday: 'monday' as const,
          time: '10:00',
          timeZone: 'UTC',
          startsOn: '2026-11-02',
          durationMinutes: 30,
        },
        attendees: [],
        bodyHtml: '',
        bodyText: '',
        planVersion: 1,
      };
      const [x, y] = await Promise.all([
        a.createSeries(ORGANISER, body, key),
        b.createSeries(ORGANISER, body, key),
      ]);
      expect(x.id).toBe(y.id);
      expect(a.countByKey(key)).toBe(1);
    } finally {
      a.close();
      b.close();
    }
  });
});
