import { type CrossbeamPreview, LIMITS, normaliseRecordName, type OverlapAccount } from '@cosell/shared';
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  ProgressBar,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/client';
import { ProblemBar } from '../components/problem-bar';
import { formatDate } from '../format';
import { planHref } from '../routing';
import { type ReadProgress, readCrossbeamFile } from './read-file';

/*
 * The Crossbeam import wizard (issue 10): choose the export → it is read in the browser, with progress →
 * the accounts it holds, with partners and populations → pick 1 to 5 → name the partner and complete the
 * owners' emails → the plan is created and opened. Every account, population and name from the file is
 * shown as text, never as markup.
 */

const MAX_PICK = LIMITS.accounts.max;
/** Accounts listed at once; a filter finds the others. */
const SHOWN = 100;

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  step: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    border: 'none',
    margin: 0,
    padding: 0,
    minWidth: 0,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  muted: { margin: 0, color: tokens.colorNeutralForeground2 },
  fileRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  tableWrap: { overflowX: 'auto', maxWidth: '100%' },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    '& th, & td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    },
    '& th': { fontWeight: tokens.fontWeightSemibold },
  },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))',
    gap: tokens.spacingVerticalM,
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
});

type Stage =
  | { kind: 'choose' }
  | { kind: 'reading'; fileName: string; progress: ReadProgress }
  | { kind: 'failed'; fileName: string; message: string }
  | { kind: 'preview'; fileName: string; preview: CrossbeamPreview };

/** One owner named by the picked accounts: the person completes the email. */
interface OwnerRow {
  key: string;
  side: 'vendor' | 'partner';
  name: string;
  email: string;
  accounts: string[];
}

/** The owners of the picked accounts; a partner-side owner only where the overlap is with this partner. */
function ownersOf(picked: readonly OverlapAccount[], partnerName: string): OwnerRow[] {
  const partner = normaliseRecordName(partnerName);
  const rows = new Map<string, OwnerRow>();
  const add = (
    side: OwnerRow['side'],
    name: string | undefined,
    email: string | undefined,
    account: string,
  ) => {
    if (!name) return;
    const key = `${side}:${normaliseRecordName(name)}`;
    const row = rows.get(key);
    if (row) {
      if (!row.accounts.includes(account)) row.accounts.push(account);
      if (!row.email && email) row.email = email;
      return;
    }
    rows.set(key, { key, side, name, email: email ?? '', accounts: [account] });
  };
  for (const a of picked) {
    add('vendor', a.ownerName, a.ownerEmail, a.name);
    const partners = a.partnerNames.map(normaliseRecordName);
    if (partners.length === 0 || partners.includes(partner)) {
      add('partner', a.partnerOwnerName, a.partnerOwnerEmail, a.name);
    }
  }
  return [...rows.values()];
}

const mb = (bytes: number) =>
  `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
const list = (values: readonly string[]) => (values.length === 0 ? '—' : values.join(', '));

export function ImportWizard({ channelId }: { channelId?: string }) {
  const styles = useStyles();
  const api = useApi();
  const inputId = useId();
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [picked, setPicked] = useState<string[]>([]);
  const [filter, setFilter] = useState('');
  const [partnerName, setPartnerName] = useState('');
  const [title, setTitle] = useState('');
  const [emails, setEmails] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ApiError | undefined>();
  const reading = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => reading.current?.abort(), []);

  async function choose(file: File) {
    reading.current?.abort();
    const controller = new AbortController();
    reading.current = controller;
    setPicked([]);
    setFilter('');
    setCreateError(undefined);
    setStage({ kind: 'reading', fileName: file.name, progress: { bytesRead: 0, totalBytes: file.size } });
    try {
      const result = await readCrossbeamFile(
        file,
        (progress) => setStage({ kind: 'reading', fileName: file.name, progress }),
        controller.signal,
      );
      if (controller.signal.aborted) return;
      if (!result.ok) {
        setStage({ kind: 'failed', fileName: file.name, message: result.error.message });
        return;
      }
      setStage({ kind: 'preview', fileName: file.name, preview: result.preview });
      setPartnerName(result.preview.partners[0] ?? '');
    } catch (error) {
      if (controller.signal.aborted) return;
      setStage({
        kind: 'failed',
        fileName: file.name,
        message: `The file could not be read${error instanceof Error && error.message ? ` (${error.message})` : ''}.`,
      });
    }
  }

  const preview = stage.kind === 'preview' ? stage.preview : undefined;
  const pickedAccounts = useMemo(
    () => (preview ? picked.flatMap((key) => preview.accounts.filter((a) => a.key === key)) : []),
    [preview, picked],
  );
  const owners = useMemo(() => ownersOf(pickedAccounts, partnerName), [pickedAccounts, partnerName]);
  const shown = useMemo(() => {
    if (!preview) return [];
    const q = filter.trim().toLowerCase();
    const matches = q
      ? preview.accounts.filter((a) =>
          [a.name, a.domain ?? '', ...a.partnerNames, ...a.ourPopulations, ...a.partnerPopulations].some(
            (v) => v.toLowerCase().includes(q),
          ),
        )
      : preview.accounts;
    return matches;
  }, [preview, filter]);

  function toggle(key: string, on: boolean) {
    setCreateError(undefined);
    setPicked((p) =>
      on ? (p.includes(key) || p.length >= MAX_PICK ? p : [...p, key]) : p.filter((k) => k !== key),
    );
    if (on && partnerName.trim() === '') {
      const account = preview?.accounts.find((a) => a.key === key);
      const partner = account?.partnerNames[0];
      if (partner) setPartnerName(partner);
    }
  }

  async function create() {
    setCreating(true);
    setCreateError(undefined);
    try {
      const answer = await api.importCrossbeamPlan({
        partnerName: partnerName.trim(),
        accounts: pickedAccounts,
        ...(title.trim() ? { title: title.trim() } : {}),
        owners: owners
          .map((o) => ({ side: o.side, name: o.name, email: (emails[o.key] ?? o.email).trim() }))
          .filter((o) => o.email !== ''),
        ...(channelId ? { channelId } : {}),
      });
      window.location.hash = planHref(answer.plan.id);
    } catch (error) {
      setCreateError(
        error instanceof ApiError
          ? error
          : new ApiError({ status: 0, code: 'UNKNOWN', detail: 'The plan could not be created. Try again.' }),
      );
      setCreating(false);
    }
  }

  return (
    <div className={styles.stack}>
      <section className={styles.step} aria-labelledby={`${inputId}-h1`}>
        <h2 id={`${inputId}-h1`} className={styles.heading}>
          1. Choose the Crossbeam export
        </h2>
        <p className={styles.muted}>
          A report or list exported with <strong>Export to CSV</strong> in Crossbeam (UTF-8), or the JSON of
          the Crossbeam API&apos;s account overlaps. The file is read here, in your browser.
        </p>
        <div className={styles.fileRow}>
          <label htmlFor={inputId}>Export file (.csv or .json)</label>
          <input
            id={inputId}
            type="file"
            accept=".csv,.json,text/csv,application/json"
            data-testid="crossbeam-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void choose(file);
            }}
          />
        </div>
        {stage.kind === 'reading' && (
          <Field
            label={`Reading ${stage.fileName}`}
            validationState="none"
            validationMessage={`${Math.round((100 * stage.progress.bytesRead) / Math.max(1, stage.progress.totalBytes))}% · ${mb(stage.progress.bytesRead)} of ${mb(stage.progress.totalBytes)}`}
          >
            <ProgressBar
              value={
                stage.progress.totalBytes === 0 ? 1 : stage.progress.bytesRead / stage.progress.totalBytes
              }
              max={1}
            />
          </Field>
        )}
        {stage.kind === 'failed' && (
          <MessageBar intent="error" layout="multiline" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{stage.fileName} cannot be imported</MessageBarTitle>
              {stage.message}
            </MessageBarBody>
          </MessageBar>
        )}
      </section>

      {stage.kind === 'preview' && preview && (
        <section className={styles.step} aria-labelledby={`${inputId}-h2`}>
          <h2 id={`${inputId}-h2`} className={styles.heading}>
            2. Pick 1 to {MAX_PICK} accounts
          </h2>
          <Text as="p" role="status" className={styles.muted}>
            {stage.fileName}: {preview.rowCount.toLocaleString('en-US')} overlap
            {preview.rowCount === 1 ? '' : 's'} in {preview.accounts.length.toLocaleString('en-US')} account
            {preview.accounts.length === 1 ? '' : 's'}
            {preview.partners.length > 0 ? ` with ${list(preview.partners)}` : ''}. {picked.length} of{' '}
            {MAX_PICK} picked.
          </Text>
          {preview.warnings.map((w) => (
            <MessageBar key={w.code} intent="warning" layout="multiline">
              <MessageBarBody>
                {w.code === 'free-plan-truncated' && <MessageBarTitle>Probably cut short</MessageBarTitle>}
                {w.message}
              </MessageBarBody>
            </MessageBar>
          ))}
          {preview.accounts.length > 10 && (
            <Field label="Find an account (name, domain, partner or population)">
              <Input value={filter} onChange={(_, d) => setFilter(d.value)} />
            </Field>
          )}
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <caption className={styles.muted} style={{ textAlign: 'left' }}>
                Accounts in the export
                {shown.length > SHOWN
                  ? ` (the first ${SHOWN} of ${shown.length}; find the others above)`
                  : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Pick</th>
                  <th scope="col">Account</th>
                  <th scope="col">Partner</th>
                  <th scope="col">Our populations</th>
                  <th scope="col">Partner populations</th>
                  <th scope="col">Owners</th>
                  <th scope="col">Overlap since</th>
                </tr>
              </thead>
              <tbody>
                {shown.slice(0, SHOWN).map((a) => {
                  const on = picked.includes(a.key);
                  return (
                    <tr key={a.key}>
                      <td>
                        <Checkbox
                          checked={on}
                          disabled={!on && picked.length >= MAX_PICK}
                          aria-label={`Pick ${a.name}`}
                          onChange={(_, d) => toggle(a.key, d.checked === true)}
                        />
                      </td>
                      <td>
                        {a.name}
                        <br />
                        <Text size={200} className={styles.muted}>
                          {a.domain ?? 'no web domain'} · {a.rowCount} row{a.rowCount === 1 ? '' : 's'}
                        </Text>
                      </td>
                      <td>{list(a.partnerNames)}</td>
                      <td>{list(a.ourPopulations)}</td>
                      <td>{list(a.partnerPopulations)}</td>
                      <td>
                        {a.ownerName ?? '—'}
                        {a.partnerOwnerName ? ` · ${a.partnerOwnerName} (partner)` : ''}
                      </td>
                      <td>{a.overlapSince ? formatDate(a.overlapSince) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {stage.kind === 'preview' && pickedAccounts.length > 0 && (
        <section className={styles.step} aria-labelledby={`${inputId}-h3`}>
          <h2 id={`${inputId}-h3`} className={styles.heading}>
            3. The partner and the owners
          </h2>
          <div className={styles.grid}>
            <Field label="Partner" required hint={`Up to ${LIMITS.partnerName} characters`}>
              <Input value={partnerName} onChange={(_, d) => setPartnerName(d.value)} />
            </Field>
            <Field
              label="Plan title (optional)"
              hint="Made from the partner and the first account when empty"
            >
              <Input value={title} onChange={(_, d) => setTitle(d.value)} />
            </Field>
          </div>
          {owners.length === 0 ? (
            <p className={styles.muted}>
              The export names no owners: name them on the plan once it is created.
            </p>
          ) : (
            <div className={styles.grid}>
              {owners.map((o) => (
                <Field
                  key={o.key}
                  label={`${o.name} — ${o.side === 'vendor' ? 'our account owner' : 'partner account owner'}, email`}
                  hint={`Owner of ${o.accounts.join(', ')}. Leave empty to add them on the plan later.`}
                >
                  <Input
                    type="email"
                    value={emails[o.key] ?? o.email}
                    onChange={(_, d) => setEmails((e) => ({ ...e, [o.key]: d.value }))}
                  />
                </Field>
              ))}
            </div>
          )}
          {createError && <ProblemBar error={createError} title="The plan was not created" />}
          <div className={styles.actions}>
            <Button
              appearance="primary"
              disabledFocusable={creating || partnerName.trim() === ''}
              onClick={() => void create()}
            >
              {creating
                ? 'Creating the plan…'
                : `Create the plan with ${pickedAccounts.length} account${pickedAccounts.length === 1 ? '' : 's'}`}
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
