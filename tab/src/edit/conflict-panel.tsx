import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { forwardRef, useId } from 'react';
import { formatDateTime } from '../format';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusWarningBorder1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorStatusWarningBackground1,
    color: tokens.colorNeutralForeground1,
    outlineOffset: '2px',
  },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  lists: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 240px), 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  text: { margin: 0 },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

export interface ConflictPanelProps {
  /** Who saved first, and when. */
  savedBy: string;
  savedAt: string;
  theirs: string[];
  mine: string[];
  busy: boolean;
  onKeepMine(): void;
  onTakeTheirs(): void;
}

/**
 * Someone saved the plan after this editor opened. Nothing typed is lost: the draft stays in the form
 * below, and the person chooses. Announced as an alert and focused when it appears.
 */
export const ConflictPanel = forwardRef<HTMLDivElement, ConflictPanelProps>(function ConflictPanel(
  { savedBy, savedAt, theirs, mine, busy, onKeepMine, onTakeTheirs },
  ref,
) {
  const styles = useStyles();
  const titleId = useId();
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby={titleId} className={styles.panel}>
      <h3 id={titleId} className={styles.title}>
        Someone else saved this plan while you were editing
      </h3>
      <p className={styles.text}>
        {savedBy} saved it at {formatDateTime(savedAt)}. Your changes are still in the form below. “Keep mine”
        saves what you changed over their version: where you both changed the same thing, yours wins, and the
        rest of theirs stays. “Take theirs” drops your changes to this section.
      </p>
      <div className={styles.lists}>
        <div>
          <h4 className={styles.heading}>What they changed</h4>
          <ChangeList changes={theirs} none="Nothing that this page describes." />
        </div>
        <div>
          <h4 className={styles.heading}>What you changed</h4>
          <ChangeList changes={mine} none="Nothing yet." />
        </div>
      </div>
      <div className={styles.buttons}>
        <Button appearance="primary" disabledFocusable={busy} onClick={onKeepMine}>
          Keep mine
        </Button>
        <Button disabledFocusable={busy} onClick={onTakeTheirs}>
          Take theirs
        </Button>
      </div>
    </div>
  );
});

function ChangeList({ changes, none }: { changes: string[]; none: string }) {
  const styles = useStyles();
  if (changes.length === 0) return <p className={styles.text}>{none}</p>;
  return (
    <ul className={styles.list}>
      {changes.map((change) => (
        <li key={change}>{change}</li>
      ))}
    </ul>
  );
}
