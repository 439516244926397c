import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  type CalendarAttachment,
  type CalendarAttendee,
  type CalendarCapabilities,
  type CalendarGateway,
  type CalendarOccurrence,
  type CalendarOrganiser,
  type CalendarSeries,
  type Clock,
  checkAttachment,
  checkSeriesChanges,
  checkSeriesRequest,
  icsSeriesOf,
  normaliseSchedule,
  type OccurrenceUpdate,
  type OccurrenceUpdateResult,
  occurrenceIdOf,
  occurrenceStartOf,
  occurrencesBetween,
  type PersonSchedule,
  renderIcs,
  type SeriesChanges,
  SeriesNotFoundError,
  type SeriesRequest,
  type SeriesSchedule,
} from '@cosell/shared';
import Database from 'better-sqlite3';
import { type Migration, type MigrationResult, migrate } from './sqlite-migrations';

/*
 * The calendar of the local default (`COSELL_STORE=sqlite`): the app keeps the weekly series itself, in its
 * own SQLite file beside the plans (`calendar.sqlite`, its own migrations; the plan store's stay untouched),
 * and the series reaches people's calendars as an .ics file. It sends no invitations and cannot see anyone's
 * free/busy (`capabilities`). One idempotency key is one row (a UNIQUE column), so a retried booking returns
 * the series the first attempt made. Occurrences are computed from the schedule; an occurrence refreshed on
 * its own (body, attachment, plan version) is a row of `calendar_occurrences`, keyed by its original start.
 */

export const CALENDAR_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calendar series, their attachments and refreshed occurrences',
    up(db) {
      db.exec(`
        CREATE TABLE calendar_series (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          idempotency_key TEXT NOT NULL UNIQUE,
          organiser_address TEXT NOT NULL,
          organiser_name TEXT,
          plan_id TEXT NOT NULL,
          subject TEXT NOT NULL,
          schedule TEXT NOT NULL,
          attendees TEXT NOT NULL,
          body_html TEXT NOT NULL,
          body_text TEXT NOT NULL,
          tab_url TEXT,
          plan_version INTEGER,
          sequence INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          cancelled_at TEXT,
          cancel_comment TEXT
        );
        CREATE INDEX calendar_series_plan ON calendar_series (plan_id);

        CREATE TABLE calendar_attachments (
          series_id TEXT NOT NULL REFERENCES calendar_series (id),
          occurrence_id TEXT NOT NULL,
          filename TEXT NOT NULL,
          mime_type TEXT NOT NULL,
          bytes BLOB NOT NULL,
          PRIMARY KEY (series_id, occurrence_id)
        );

        CREATE TABLE calendar_occurrences (
          series_id TEXT NOT NULL REFERENCES calendar_series (id),
          occurrence_id TEXT NOT NULL,
          body_html TEXT NOT NULL,
          body_text TEXT NOT NULL,
          plan_version INTEGER NOT NULL,
          sequence INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (series_id, occurrence_id)
        );
      `);
    },
  },
];

/** The series attachment's key in `calendar_attachments` (occurrences use their own id). */
const SERIES_LEVEL = '';

interface SeriesRow {
  id: string;
  idempotency_key: string;
  organiser_address: string;
  organiser_name: string | null;
  plan_id: string;
  subject: string;
  schedule: string;
  attendees: string;
  body_html: string;
  body_text: string;
  tab_url: string | null;
  plan_version: number | null;
  sequence: number;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  cancel_comment: string | null;
}

interface AttachmentRow {
  occurrence_id: string;
  filename: string;
  mime_type: string;
  bytes: Buffer;
}

interface OccurrenceRow {
  occurrence_id: string;
  body_html: string;
  body_text: string;
  plan_version: number;
  sequence: number;
  updated_at: string;
}

/** Everything the embedded calendar keeps about one series: what an .ics of it is made from. */
export interface StoredSeries {
  series: CalendarSeries;
  bodyText: string;
  tabUrl?: string;
  /** RFC 5545 SEQUENCE: bumped on every change attendees would see. */
  sequence: number;
  createdAt: string;
  updatedAt: string;
  cancelledAt?: string;
  cancelComment?: string;
  attachment?: CalendarAttachment;
  occurrences: {
    occurrenceId: string;
    bodyHtml: string;
    bodyText: string;
    planVersion: number;
    sequence: number;
    updatedAt: string;
    attachment?: CalendarAttachment;
  }[];
}

export interface EmbeddedCalendarOptions {
  /** The SQLite file (created with its directories), or `:memory:`. */
  file: string;
  clock: Clock;
  newId?: () => string;
}

export class EmbeddedCalendarGateway implements CalendarGateway {
  readonly capabilities: CalendarCapabilities = {
    freeBusy: false,
    onlineMeeting: false,
    sendsInvitations: false,
  };
  readonly migrations: MigrationResult;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(options: EmbeddedCalendarOptions) {
    if (options.file !== ':memory:')
      fs.mkdirSync(path.dirname(path.resolve(options.file)), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    if (options.file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.migrations = migrate(this.db, CALENDAR_MIGRATIONS);
    this.clock = options.clock;
    this.newId = options.newId ?? (() => randomUUID());
  }

  close(): void {
    this.db.close();
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  private row(id: string): SeriesRow | undefined {
    return this.db.prepare<[string], SeriesRow>('SELECT * FROM calendar_series WHERE id = ?').get(id);
  }

  private attachmentOf(seriesId: string, occurrenceId: string): AttachmentRow | undefined {
    return this.db
      .prepare<[string, string], AttachmentRow>(
        'SELECT occurrence_id, filename, mime_type, bytes FROM calendar_attachments WHERE series_id = ? AND occurrence_id = ?',
      )
      .get(seriesId, occurrenceId);
  }

  private toSeries(row: SeriesRow): CalendarSeries {
    const attachment = this.attachmentOf(row.id, SERIES_LEVEL);
    return {
      id: row.id,
      idempotencyKey: row.idempotency_key,
      planId: row.plan_id,
      organiser: {
        address: row.organiser_address,
        ...(row.organiser_name !== null ? { name: row.organiser_name } : {}),
      },
      subject: row.subject,
      schedule: JSON.parse(row.schedule) as SeriesSchedule,
      attendees: JSON.parse(row.attendees) as CalendarAttendee[],
      bodyHtml: row.body_html,
      planVersion: row.plan_version ?? undefined,
      ...(attachment
        ? {
            attachment: {
              filename: attachment.filename,
              mimeType: attachment.mime_type,
              size: attachment.bytes.byteLength,
            },
          }
        : {}),
      cancelled: row.cancelled_at !== null,
    };
  }

  /** A live (not cancelled) series, or SeriesNotFoundError. */
  private live(seriesId: string): SeriesRow {
    const row = this.row(seriesId);
    if (!row || row.cancelled_at !== null) throw new SeriesNotFoundError(seriesId);
    return row;
  }

  async createSeries(
    organiser: CalendarOrganiser,
    request: SeriesRequest,
    idempotencyKey: string,
  ): Promise<CalendarSeries> {
    const existing = await this.findSeriesByKey(organiser, idempotencyKey);
    if (existing) return existing;
    checkSeriesRequest(request);
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO calendar_series (id, idempotency_key, organiser_address, organiser_name, plan_id, subject,
           schedule, attendees, body_html, body_text, tab_url, plan_version, sequence, created_at, updated_at)
         VALUES (@id, @key, @address, @name, @planId, @subject, @schedule, @attendees, @bodyHtml, @bodyText,
           @tabUrl, @planVersion, 0, @now, @now)
         ON CONFLICT (idempotency_key) DO NOTHING`,
      )
      .run({
        id: this.newId(),
        key: idempotencyKey,
        address: organiser.address,
        name: organiser.name ?? null,
        planId: request.planId,
        subject: request.subject,
        schedule: JSON.stringify(normaliseSchedule(request.schedule)),
        attendees: JSON.stringify(request.attendees),
        bodyHtml: request.bodyHtml,
        bodyText: request.bodyText,
        tabUrl: request.tabUrl ?? null,
        planVersion: request.planVersion,
        now,
      });
    const created = await this.findSeriesByKey(organiser, idempotencyKey);
    if (!created) throw new Error(`the series with key ${idempotencyKey} was not stored`);
    return created;
  }

  async findSeriesByKey(
    _organiser: CalendarOrganiser,
    idempotencyKey: string,
  ): Promise<CalendarSeries | undefined> {
    const row = this.db
      .prepare<[string], SeriesRow>('SELECT * FROM calendar_series WHERE idempotency_key = ?')
      .get(idempotencyKey);
    return row ? this.toSeries(row) : undefined;
  }

  async getSeries(_organiser: CalendarOrganiser, seriesId: string): Promise<CalendarSeries | undefined> {
    const row = this.row(seriesId);
    return row ? this.toSeries(row) : undefined;
  }

  async updateSeries(
    _organiser: CalendarOrganiser,
    seriesId: string,
    changes: SeriesChanges,
  ): Promise<CalendarSeries> {
    checkSeriesChanges(changes);
    const update = this.db.transaction(() => {
      const row = this.live(seriesId);
      const schedule = changes.schedule ? JSON.stringify(normaliseSchedule(changes.schedule)) : row.schedule;
      const scheduleChanged = schedule !== row.schedule;
      this.db
        .prepare(
          `UPDATE calendar_series SET subject = @subject, schedule = @schedule, attendees = @attendees,
             body_html = @bodyHtml, body_text = @bodyText, plan_version = @planVersion,
             sequence = sequence + 1, updated_at = @now
           WHERE id = @id`,
        )
        .run({
          id: seriesId,
          subject: changes.subject ?? row.subject,
          schedule,
          attendees: changes.attendees ? JSON.stringify(changes.attendees) : row.attendees,
          bodyHtml: changes.bodyHtml ?? row.body_html,
          bodyText: changes.bodyText ?? row.body_text,
          planVersion: changes.planVersion ?? row.plan_version,
          now: this.now(),
        });
      if (scheduleChanged) {
        // As in Outlook: a new pattern has new occurrences; their own changes do not carry over.
        this.db.prepare('DELETE FROM calendar_occurrences WHERE series_id = ?').run(seriesId);
        this.db
          .prepare('DELETE FROM calendar_attachments WHERE series_id = ? AND occurrence_id <> ?')
          .run(seriesId, SERIES_LEVEL);
      }
    });
    update.immediate();
    return this.toSeries(this.live(seriesId));
  }

  async setSeriesAttachment(
    _organiser: CalendarOrganiser,
    seriesId: string,
    attachment: CalendarAttachment,
  ): Promise<CalendarSeries> {
    checkAttachment(attachment);
    const write = this.db.transaction(() => {
      this.live(seriesId);
      this.putAttachment(seriesId, SERIES_LEVEL, attachment);
      this.db
        .prepare('UPDATE calendar_series SET sequence = sequence + 1, updated_at = ? WHERE id = ?')
        .run(this.now(), seriesId);
    });
    write.immediate();
    return this.toSeries(this.live(seriesId));
  }

  private putAttachment(seriesId: string, occurrenceId: string, attachment: CalendarAttachment): void {
    this.db
      .prepare(
        `INSERT INTO calendar_attachments (series_id, occurrence_id, filename, mime_type, bytes)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (series_id, occurrence_id) DO UPDATE SET
           filename = excluded.filename, mime_type = excluded.mime_type, bytes = excluded.bytes`,
      )
      .run(seriesId, occurrenceId, attachment.filename, attachment.mimeType, Buffer.from(attachment.bytes));
  }

  async cancelSeries(_organiser: CalendarOrganiser, seriesId: string, comment: string): Promise<void> {
    const row = this.row(seriesId);
    if (!row) throw new SeriesNotFoundError(seriesId);
    if (row.cancelled_at !== null) return;
    this.db
      .prepare(
        `UPDATE calendar_series SET cancelled_at = @now, cancel_comment = @comment, sequence = sequence + 1,
           updated_at = @now WHERE id = @id AND cancelled_at IS NULL`,
      )
      .run({ id: seriesId, comment, now: this.now() });
  }

  async listOccurrences(
    _organiser: CalendarOrganiser,
    seriesId: string,
    fromIso: string,
    toIso: string,
  ): Promise<CalendarOccurrence[]> {
    const row = this.live(seriesId);
    const schedule = JSON.parse(row.schedule) as SeriesSchedule;
    const refreshed = new Map(
      this.db
        .prepare<[string], OccurrenceRow>('SELECT * FROM calendar_occurrences WHERE series_id = ?')
        .all(seriesId)
        .map((o) => [o.occurrence_id, o]),
    );
    return occurrencesBetween(schedule, new Date(fromIso), new Date(toIso)).map((o) => {
      const id = occurrenceIdOf(o.start);
      const own = refreshed.get(id);
      return {
        id,
        seriesId,
        start: o.start.toISOString(),
        end: o.end.toISOString(),
        planVersion: own ? own.plan_version : (row.plan_version ?? undefined),
        modified: own !== undefined,
      };
    });
  }

  /** True when `occurrenceId` names an occurrence of the schedule. */
  private isOccurrence(schedule: SeriesSchedule, occurrenceId: string): boolean {
    const start = occurrenceStartOf(occurrenceId);
    if (!start) return false;
    return occurrencesBetween(schedule, start, new Date(start.getTime() + 1), 2).some(
      (o) => o.start.getTime() === start.getTime(),
    );
  }

  async updateOccurrences(
    _organiser: CalendarOrganiser,
    seriesId: string,
    updates: readonly OccurrenceUpdate[],
  ): Promise<OccurrenceUpdateResult[]> {
    const row = this.live(seriesId);
    const schedule = JSON.parse(row.schedule) as SeriesSchedule;
    const results: OccurrenceUpdateResult[] = [];
    for (const update of updates) {
      if (!this.isOccurrence(schedule, update.occurrenceId)) {
        results.push({
          occurrenceId: update.occurrenceId,
          ok: false,
          error: `no occurrence ${update.occurrenceId} in series ${seriesId}`,
          retryable: false,
        });
        continue;
      }
      if (update.attachment) {
        try {
          checkAttachment(update.attachment);
        } catch (error) {
          results.push({
            occurrenceId: update.occurrenceId,
            ok: false,
            error: (error as Error).message,
            retryable: false,
          });
          continue;
        }
      }
      const write = this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO calendar_occurrences (series_id, occurrence_id, body_html, body_text, plan_version, sequence, updated_at)
             VALUES (@seriesId, @occurrenceId, @bodyHtml, @bodyText, @planVersion, 1, @now)
             ON CONFLICT (series_id, occurrence_id) DO UPDATE SET body_html = excluded.body_html,
               body_text = excluded.body_text, plan_version = excluded.plan_version,
               sequence = calendar_occurrences.sequence + 1, updated_at = excluded.updated_at`,
          )
          .run({
            seriesId,
            occurrenceId: update.occurrenceId,
            bodyHtml: update.bodyHtml,
            bodyText: update.bodyText,
            planVersion: update.planVersion,
            now: this.now(),
          });
        if (update.attachment) this.putAttachment(seriesId, update.occurrenceId, update.attachment);
      });
      write.immediate();
      results.push({ occurrenceId: update.occurrenceId, ok: true });
    }
    return results;
  }

  /** The embedded calendar sees no one's free/busy. */
  async getSchedule(): Promise<PersonSchedule[] | undefined> {
    return undefined;
  }

  /** Everything kept about a series (cancelled ones too), for the .ics. */
  stored(seriesId: string): StoredSeries {
    const row = this.row(seriesId);
    if (!row) throw new SeriesNotFoundError(seriesId);
    const attachments = new Map(
      this.db
        .prepare<[string], AttachmentRow>(
          'SELECT occurrence_id, filename, mime_type, bytes FROM calendar_attachments WHERE series_id = ?',
        )
        .all(seriesId)
        .map((a) => [
          a.occurrence_id,
          { filename: a.filename, mimeType: a.mime_type, bytes: new Uint8Array(a.bytes) },
        ]),
    );
    const occurrences = this.db
      .prepare<[string], OccurrenceRow>(
        'SELECT * FROM calendar_occurrences WHERE series_id = ? ORDER BY occurrence_id',
      )
      .all(seriesId)
      .map((o) => {
        const attachment = attachments.get(o.occurrence_id);
        return {
          occurrenceId: o.occurrence_id,
          bodyHtml: o.body_html,
          bodyText: o.body_text,
          planVersion: o.plan_version,
          sequence: o.sequence,
          updatedAt: o.updated_at,
          ...(attachment ? { attachment } : {}),
        };
      });
    const attachment = attachments.get(SERIES_LEVEL);
    return {
      series: this.toSeries(row),
      bodyText: row.body_text,
      ...(row.tab_url !== null ? { tabUrl: row.tab_url } : {}),
      sequence: row.sequence,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.cancelled_at !== null ? { cancelledAt: row.cancelled_at } : {}),
      ...(row.cancel_comment !== null ? { cancelComment: row.cancel_comment } : {}),
      ...(attachment ? { attachment } : {}),
      occurrences,
    };
  }

  async exportIcs(_organiser: CalendarOrganiser, seriesId: string): Promise<string> {
    const stored = this.stored(seriesId);
    return renderIcs({
      series: icsSeriesOf({
        series: stored.series,
        bodyText: stored.bodyText,
        attachments: stored.attachment ? [stored.attachment] : [],
        sequence: stored.sequence,
        uid: `${stored.series.id}@co-sell-plan.embedded`,
        ...(stored.tabUrl !== undefined ? { tabUrl: stored.tabUrl } : {}),
      }),
      now: this.clock.now(),
    });
  }

  /** Rows per idempotency key, for tests that look under the port. */
  countByKey(idempotencyKey: string): number {
    return Number(
      this.db
        .prepare('SELECT count(*) FROM calendar_series WHERE idempotency_key = ?')
        .pluck()
        .get(idempotencyKey),
    );
  }

  /** All series rows of a plan, for tests and tools. */
  seriesOfPlan(planId: string): CalendarSeries[] {
    return this.db
      .prepare<[string], SeriesRow>('SELECT * FROM calendar_series WHERE plan_id = ? ORDER BY seq')
      .all(planId)
      .map((row) => this.toSeries(row));
  }
}

export function openEmbeddedCalendar(options: EmbeddedCalendarOptions): EmbeddedCalendarGateway {
  return new EmbeddedCalendarGateway(options);
}
