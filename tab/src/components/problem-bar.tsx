import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ApiError } from '../api/client';

/** A failed request, in the problem's own words, with the field messages when there are any. */
export function ProblemBar({ error, title }: { error: ApiError; title: string }) {
  // Quick updates answer with one field error that repeats the detail; say it once.
  const errors = error.errors.filter((e) => e.message !== error.detail);
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error.detail}
        {errors.length > 0 && (
          <ul>
            {errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                {e.path}: {e.message}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
