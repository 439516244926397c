import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { httpsUrl } from '../format';
import { VisuallyHidden } from './visually-hidden';

/** A link out of the tab, only for https URLs; anything else shows as text. Opens in a new tab. */
export function ExternalLink({ href, children }: { href: string | undefined; children: ReactNode }) {
  const url = httpsUrl(href);
  if (!url) return <>{children}</>;
  return (
    <Link href={url} target="_blank" rel="noopener noreferrer" inline>
      {children}
      <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
    </Link>
  );
}
