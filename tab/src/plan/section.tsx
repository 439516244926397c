import { makeStyles, Title3, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/** Below this width the page is one column: a phone, or a narrow Teams side panel. */
export const NARROW = '@media (max-width: 640px)';

export const useSectionStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { margin: 0 },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  plainList: {
    margin: 0,
    paddingLeft: 0,
    listStyleType: 'none',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  late: { color: tokens.colorPaletteRedForeground1 },
  // Wide screens read a table; narrow ones (a phone in Teams) read each row as a stack of labelled lines.
  tableScroll: { overflowX: 'auto', [NARROW]: { overflowX: 'visible' } },
  table: { minWidth: '720px', [NARROW]: { minWidth: 0, display: 'block', width: '100%' } },
  tableHead: {
    [NARROW]: {
      position: 'absolute',
      width: '1px',
      height: '1px',
      overflow: 'hidden',
      clipPath: 'inset(50%)',
      whiteSpace: 'nowrap',
    },
  },
  tableBody: { [NARROW]: { display: 'block' } },
  tableRow: {
    [NARROW]: {
      display: 'block',
      padding: `${tokens.spacingVerticalS} 0`,
      borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    },
  },
  tableCell: {
    [NARROW]: {
      display: 'block',
      height: 'auto',
      padding: `${tokens.spacingVerticalXXS} 0`,
      '::before': {
        content: 'attr(data-label)',
        display: 'block',
        fontSize: tokens.fontSizeBase200,
        color: tokens.colorNeutralForeground3,
      },
      ':empty': { display: 'none' },
    },
  },
  name: { fontWeight: tokens.fontWeightSemibold },
  headingRow: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
});

/** One titled part of the plan page: a region landmark named by its h2, with an optional button beside it. */
export function Section({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: string;
  action?: ReactNode;
  children: ReactNode;
}) {
  const styles = useSectionStyles();
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className={styles.section}>
      <div className={styles.headingRow}>
        <Title3 as="h2" id={headingId} className={styles.heading}>
          {title}
        </Title3>
        {action}
      </div>
      {children}
    </section>
  );
}
