import { useMyFlagsQuery } from '../../api/generated';
import { useSignedIn } from '../../app/session';

/** Whether flag `key` is on for the signed-in user, as the server evaluated it (off until known). */
export function useFlag(key: string): boolean {
  const signedIn = useSignedIn();
  const { data } = useMyFlagsQuery(undefined, { skip: !signedIn, pollingInterval: 60_000 });
  return data?.flags[key]?.value === true;
}
