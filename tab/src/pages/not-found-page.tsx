import { Link, Text, Title1 } from '@fluentui/react-components';
import { useDocumentTitle } from '../components/use-document-title';
import { PORTFOLIO_HREF } from '../routing';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <>
      <Title1 as="h1">Page not found</Title1>
      <Text as="p">
        There is nothing at this address. <Link href={PORTFOLIO_HREF}>See all plans</Link>.
      </Text>
    </>
  );
}
