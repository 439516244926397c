import { useEffect } from 'react';

/** Names the browser tab (and the page for assistive technology) after what it shows. */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Co-Sell Plan` : 'Co-Sell Plan';
  }, [title]);
}
