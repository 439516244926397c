import {
  ECONOMIC_KIND_LABELS,
  type EconomicTerm,
  type Person,
  PLAN_FIELD_LABELS,
  type Plan,
} from '@cosell/shared';
import type { PlanHealthReport } from '../api/client';
import { healthFlagsOf } from '../components/health-badges';
import { describeDue, formatDate, formatMoney, fullName, plural, roleOf } from '../format';
import {
  ACTION_STATUS_LABELS,
  CRM_SYSTEM_LABELS,
  MILESTONE_STATUS_LABELS,
  MOTION_LABELS,
  STATUS_LABELS,
  WEEKDAY_LABELS,
} from '../labels';
import { byDue, lookupOf, type SideColumn, sidesOf } from '../plan/plan-model';
// A condensed face shipped with the tab: the sheet has the same metrics on every machine, and 15 % more
// text per line than Arial at the same size. Only the character ranges a plan uses are downloaded.
import '@fontsource/roboto-condensed/400.css';
import '@fontsource/roboto-condensed/700.css';
import './print.css';

/*
 * The plan laid out for one printed page (SPEC §2: one page is a product rule), Letter and A4 alike: the
 * sheet is designed for the intersection of the two (the width of A4, the height of Letter) inside the
 * margins of print.css. Accounts and milestones are numbered (A1, M1) so the rows that refer to them stay
 * short. Owners, economics and escalation share one grid with a column per side, partners side by side.
 * Plan text is rendered as text only; links are printed as their text.
 */

const SIDE_LABELS = { vendor: 'Vendor', partner: 'Partner', buyer: 'Buyer' } as const;

export function PrintSheet({ plan, health }: { plan: Plan; health: PlanHealthReport }) {
  const today = health.today;
  const lookup = lookupOf(plan);
  const accountCode = new Map(plan.accounts.map((a, i) => [a.id, `A${i + 1}`]));
  const milestones = byDue(plan.milestones);
  const milestoneCode = new Map(milestones.map((m, i) => [m.id, `M${i + 1}`]));
  const shortName = shortNamesOf(plan);
  const partnerCode = new Map(plan.partners.map((p, i) => [p.id, `P${i + 1}`]));
  const sideCode = (person: Person) =>
    person.side === 'partner'
      ? (partnerCode.get(person.partnerId ?? '') ?? 'Partner')
      : SIDE_LABELS[person.side];

  return (
    <article className="cs-print-sheet" aria-labelledby="print-title">
      <PrintHeader plan={plan} health={health} />

      <section className="cs-print-section" aria-labelledby="print-accounts">
        <h2 id="print-accounts">{PLAN_FIELD_LABELS.accounts}</h2>
        {plan.accounts.length === 0 ? (
          <p className="cs-print-missing">No shared account yet.</p>
        ) : (
          <table className="cs-print-table cs-print-accounts">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Account</th>
                <th scope="col">Web domain</th>
                <th scope="col">CRM account</th>
                <th scope="col">Overlap</th>
              </tr>
            </thead>
            <tbody>
              {plan.accounts.map((account, i) => (
                <tr key={account.id}>
                  <td className="cs-print-code">A{i + 1}</td>
                  <td className="cs-print-strong">{account.name}</td>
                  <td>{account.domain}</td>
                  <td>{account.crmAccountId ?? '—'}</td>
                  <td>{account.overlapSource ? <OverlapText source={account.overlapSource} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <SidesGrid plan={plan} />

      <section className="cs-print-section" aria-labelledby="print-milestones">
        <h2 id="print-milestones">{PLAN_FIELD_LABELS.milestones} (the buyer's dates)</h2>
        {milestones.length === 0 ? (
          <p className="cs-print-missing">No milestone yet.</p>
        ) : (
          <table className="cs-print-table cs-print-rows">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">Milestone, account, owner</th>
              </tr>
            </thead>
            <tbody>
              {milestones.map((milestone) => {
                const account = milestone.accountId ? accountCode.get(milestone.accountId) : undefined;
                const isLate = milestone.status !== 'done' && milestone.due < today;
                return (
                  <tr key={milestone.id}>
                    <td className="cs-print-code">{milestoneCode.get(milestone.id)}</td>
                    <td>
                      {formatDate(milestone.due)}
                      {isLate && <span className="cs-print-late"> {describeDue(milestone.due, today)}</span>}
                    </td>
                    <td>
                      {MILESTONE_STATUS_LABELS[milestone.status]}
                      {milestone.doneOn && ` ${formatDate(milestone.doneOn)}`}
                    </td>
                    <td>
                      <span className="cs-print-strong">{milestone.title}</span>
                      {account && <span className="cs-print-muted"> · {account}</span>} ·{' '}
                      {shortName(milestone.ownerId)}
                      {milestone.lastMove && (
                        <span className="cs-print-muted">
                          {' '}
                          · moved from {formatDate(milestone.lastMove.from)}: {milestone.lastMove.reason}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="cs-print-section" aria-labelledby="print-actions">
        <h2 id="print-actions">{PLAN_FIELD_LABELS.actions}</h2>
        {plan.actions.length === 0 ? (
          <p className="cs-print-missing">No joint action yet.</p>
        ) : (
          <table className="cs-print-table cs-print-rows">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">Action, owner, for</th>
              </tr>
            </thead>
            <tbody>
              {byDue(plan.actions).map((action, i) => {
                const owner = lookup.person(action.ownerId);
                const refs = [
                  action.milestoneId && milestoneCode.get(action.milestoneId),
                  action.accountId && accountCode.get(action.accountId),
                ].filter(Boolean);
                const isLate = action.status !== 'done' && action.due < today;
                return (
                  <tr key={action.id}>
                    <td className="cs-print-code">{i + 1}</td>
                    <td>
                      {formatDate(action.due)}
                      {isLate && <span className="cs-print-late"> {describeDue(action.due, today)}</span>}
                    </td>
                    <td className={action.status === 'blocked' ? 'cs-print-late' : undefined}>
                      {ACTION_STATUS_LABELS[action.status]}
                      {action.doneOn && ` ${formatDate(action.doneOn)}`}
                    </td>
                    <td>
                      {action.description} ·{' '}
                      <span className="cs-print-strong">{shortName(action.ownerId)}</span>
                      {owner && ` (${sideCode(owner)})`}
                      {refs.length > 0 && <span className="cs-print-muted"> · for {refs.join(', ')}</span>}
                      {action.blocker && <span className="cs-print-late"> · Blocked: {action.blocker}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}

function PrintHeader({ plan, health }: { plan: Plan; health: PlanHealthReport }) {
  const deal = plan.crmDeal;
  const flags = healthFlagsOf({
    stalled: health.stalls.stalled,
    decaying: health.decay.decaying,
    gaps: health.completeness.missing.length,
  });
  const facts = [
    `${STATUS_LABELS[plan.status]} ${MOTION_LABELS[plan.motion].toLowerCase()}`,
    deal &&
      [
        `${CRM_SYSTEM_LABELS[deal.system]} deal ${deal.id}`,
        deal.amount !== undefined && deal.currency && formatMoney(deal.amount, deal.currency),
        deal.closeDate && `closes ${formatDate(deal.closeDate)}`,
      ]
        .filter(Boolean)
        .join(', '),
    plan.cadence &&
      `Weekly review ${WEEKDAY_LABELS[plan.cadence.weekday]}s ${plan.cadence.time} (${plan.cadence.timeZone})`,
    plan.lastReviewedOn ? `Last reviewed ${formatDate(plan.lastReviewedOn)}` : 'Not reviewed yet',
    `Health: ${flags.map((f) => f.label).join(', ')}`,
    `Printed ${formatDate(health.today)}`,
  ].filter((fact): fact is string => typeof fact === 'string' && fact !== '');
  return (
    <header className="cs-print-head">
      <h1 id="print-title">{plan.title}</h1>
      <p className="cs-print-facts">
        {facts.map((fact) => (
          <span key={fact}>{fact}</span>
        ))}
      </p>
    </header>
  );
}

/** Owners, economics and escalation: one row each, one column per side, partners side by side. */
function SidesGrid({ plan }: { plan: Plan }) {
  const sides = sidesOf(plan);
  const isCoSell = plan.motion === 'co-sell';
  const shortName = shortNamesOf(plan);
  const chainOf = (side: SideColumn): string[] | undefined => {
    if (side.key === 'vendor') return plan.escalation.vendorChain;
    if (!side.partner) return undefined;
    const partnerId = side.partner.id;
    return plan.escalation.partnerChains.find((c) => c.partnerId === partnerId)?.chain ?? [];
  };
  return (
    <div
      className="cs-print-sides"
      style={{ gridTemplateColumns: `var(--cs-print-label) ${columnWidths(plan, sides, chainOf)}` }}
    >
      <div className="cs-print-sidehead" aria-hidden="true">
        <span />
        {sides.map((side, i) => (
          <span key={side.key}>{side.partner ? `P${i}: ${side.label}` : side.label}</span>
        ))}
      </div>

      <section className="cs-print-siderow" aria-labelledby="print-owners">
        <h2 id="print-owners">{PLAN_FIELD_LABELS.owners}</h2>
        {sides.map((side) => (
          <div key={side.key} className="cs-print-cell">
            <h3 className="cs-print-sr">{side.label}</h3>
            {side.partner?.record && (
              <p className="cs-print-muted">
                Partner record{' '}
                {[side.partner.record.system, side.partner.record.id].filter(Boolean).join(' ')}
              </p>
            )}
            {side.people.length === 0 ? (
              <p className="cs-print-missing">No one named yet</p>
            ) : (
              <ul>
                {side.people.map((person) => (
                  <li key={person.id}>
                    <span className="cs-print-strong">{fullName(person)}</span>, {roleOf(person)},{' '}
                    <span className="cs-print-email">{person.email}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>

      {isCoSell && (
        <section className="cs-print-siderow" aria-labelledby="print-economics">
          <h2 id="print-economics">{PLAN_FIELD_LABELS.economics}</h2>
          {sides.map((side) => {
            if (!side.partner) return <div key={side.key} className="cs-print-cell" />;
            const partnerId = side.partner.id;
            const economics = plan.economics.find((e) => e.partnerId === partnerId);
            return (
              <div key={side.key} className="cs-print-cell">
                <h3 className="cs-print-sr">{side.label}</h3>
                {!economics ? (
                  <p className="cs-print-missing">Not written down yet</p>
                ) : economics.kind === 'none' ? (
                  <p>No shared economics: {economics.statement}</p>
                ) : (
                  <ul>
                    {economics.terms.map((term, i) => (
                      // Terms have no id; their order is their identity on this read-only page.
                      // biome-ignore lint/suspicious/noArrayIndexKey: see above
                      <li key={i}>
                        <TermText term={term} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </section>
      )}

      <section className="cs-print-siderow" aria-labelledby="print-escalation">
        <h2 id="print-escalation">
          {PLAN_FIELD_LABELS.escalation}
          <span className="cs-print-sub"> after {plural(plan.escalation.thresholdDays, 'day')} stalled</span>
        </h2>
        {sides.map((side) => {
          const chain = chainOf(side);
          if (!chain) return <div key={side.key} className="cs-print-cell" />;
          return (
            <div key={side.key} className="cs-print-cell">
              <h3 className="cs-print-sr">{side.label}</h3>
              {chain.length === 0 ? (
                <p className="cs-print-missing">No escalation path yet</p>
              ) : (
                <ol>
                  {chain.map((personId) => (
                    <li key={personId}>{shortName(personId)}</li>
                  ))}
                </ol>
              )}
            </div>
          );
        })}
      </section>
    </div>
  );
}

/**
 * Each side's column is as wide as its share of the text in the three rows, so the rows stay short however
 * the people are spread (fourteen on one side, one on another): the tallest cell decides a row's height.
 */
function columnWidths(
  plan: Plan,
  sides: SideColumn[],
  chainOf: (side: SideColumn) => string[] | undefined,
): string {
  const volumes = sides.map((side) => {
    const people = side.people.reduce(
      (sum, p) => sum + p.firstName.length + p.lastName.length + p.email.length + (p.title?.length ?? 0) + 30,
      side.partner ? side.partner.name.length + 40 : 0,
    );
    const economics = plan.economics
      .filter((e) => side.partner && e.partnerId === side.partner.id)
      .reduce(
        (sum, e) =>
          sum +
          (e.kind === 'none'
            ? e.statement.length
            : e.terms.reduce((t, x) => t + (x.terms?.length ?? 0) + 40, 0)),
        0,
      );
    const escalation = (chainOf(side)?.length ?? 0) * 30;
    return people + economics + escalation;
  });
  const average = volumes.reduce((a, b) => a + b, 0) / Math.max(1, volumes.length);
  // No column narrower than half the average: a short name must not wrap letter by letter.
  return volumes.map((v) => `minmax(0, ${Math.max(v, average / 2).toFixed(0)}fr)`).join(' ');
}

/**
 * "Priya R.": how the sheet names a person where it refers to one already listed in full under Named
 * owners (escalation chains, owners of milestones and actions). Full names where two would read the same.
 */
function shortNamesOf(plan: Plan): (personId: string) => string {
  const short = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName.slice(0, 1)}.`;
  const counts = new Map<string, number>();
  for (const person of plan.people) counts.set(short(person), (counts.get(short(person)) ?? 0) + 1);
  const names = new Map(
    plan.people.map((p) => [p.id, (counts.get(short(p)) ?? 0) > 1 ? fullName(p) : short(p)]),
  );
  return (personId) => names.get(personId) ?? personId;
}

function OverlapText({ source }: { source: NonNullable<Plan['accounts'][number]['overlapSource']> }) {
  const populations = [source.population, source.partnerPopulation && `partner ${source.partnerPopulation}`]
    .filter(Boolean)
    .join(' × ');
  return (
    <>
      {/* The record id first: a long id that starts a line wraps less than one that ends it. */}
      {source.recordId && <span className="cs-print-muted">#{source.recordId} </span>}
      {source.system === 'crossbeam' ? 'Crossbeam' : 'Other'}
      {populations && `: ${populations}`}
    </>
  );
}

function TermText({ term }: { term: EconomicTerm }) {
  const value =
    term.value.type === 'percent'
      ? `${term.value.percent}%`
      : formatMoney(term.value.amount, term.value.currency);
  return (
    <>
      <span className="cs-print-strong">
        {ECONOMIC_KIND_LABELS[term.kind]} {value}
      </span>{' '}
      <span className={term.agreed ? undefined : 'cs-print-late'}>
        ({term.agreed ? 'agreed' : 'not agreed yet'})
      </span>
      {term.terms && <> {term.terms}</>}
    </>
  );
}
