import { PLAN_STATUSES, type PlanStatus } from '@cosell/shared';
import { Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { STATUS_LABELS } from '../labels';
import { useFormStyles } from './form-styles';
import { isFiltering, NO_FILTERS, type PortfolioFilters } from './portfolio-model';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
  },
  search: { minWidth: '240px', flexGrow: 1, maxWidth: '420px' },
  checks: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalL,
    border: 'none',
    margin: 0,
    padding: 0,
  },
});

function isStatus(value: string): value is PlanStatus {
  return (PLAN_STATUSES as readonly string[]).includes(value);
}

export function PortfolioFiltersBar({
  filters,
  onChange,
}: {
  filters: PortfolioFilters;
  onChange: (filters: PortfolioFilters) => void;
}) {
  const styles = useStyles();
  const form = useFormStyles();
  const id = useId();
  const set = (patch: Partial<PortfolioFilters>) => onChange({ ...filters, ...patch });
  const check = (key: 'stalledOnly' | 'decayingOnly' | 'incompleteOnly', label: string) => (
    <label className={form.check}>
      <input
        type="checkbox"
        className={form.checkbox}
        checked={filters[key]}
        onChange={(e) => set({ [key]: e.currentTarget.checked })}
      />
      {label}
    </label>
  );

  return (
    <search className={styles.bar} aria-label="Filter plans">
      <div className={mergeClasses(form.field, styles.search)}>
        <label htmlFor={`${id}-text`} className={form.label}>
          Search
        </label>
        <input
          id={`${id}-text`}
          type="search"
          className={form.control}
          placeholder="Title, account or partner"
          value={filters.text}
          onChange={(e) => set({ text: e.currentTarget.value })}
        />
      </div>
      <div className={form.field}>
        <label htmlFor={`${id}-status`} className={form.label}>
          Status
        </label>
        <select
          id={`${id}-status`}
          className={form.control}
          value={filters.status}
          onChange={(e) => {
            const value = e.currentTarget.value;
            set({ status: isStatus(value) ? value : 'any' });
          }}
        >
          <option value="any">Any status</option>
          {PLAN_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      </div>
      <fieldset className={styles.checks}>
        <legend className={form.label}>Show only</legend>
        {check('stalledOnly', 'Stalled')}
        {check('decayingOnly', 'Decaying')}
        {check('incompleteOnly', 'Incomplete')}
      </fieldset>
      {isFiltering(filters) && <Button onClick={() => onChange(NO_FILTERS)}>Clear filters</Button>}
    </search>
  );
}
