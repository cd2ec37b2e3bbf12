/**
 * What the deliberation and survey pages share: who may do what there, and the site a caller
 * acts for (a resident's home, a site officer's site, a county officer's pick).
 */
import { session, useQuery, type Loaded } from '../api';
import { MY_HOME, PLACES_FOR_VOICE } from '../generated/operations';

export const OFFICER_ROLES = ['province', 'county', 'site_officer'];
/** Officers who raise proposals, hold council meetings and run surveys (not the province). */
export const CLERK_ROLES = ['county', 'site_officer'];

export const role = () => session.get()?.role ?? '';
export const isResident = () => role() === 'resident';
export const isClerk = () => CLERK_ROLES.includes(role());
export const isOfficer = () => OFFICER_ROLES.includes(role());

type Named = { id: string; name: string };

/** The sites the caller may act for: a resident's own, else the sites of the caller's scope. */
export function useMySites(): Loaded<Named[]> {
  const s = session.get();
  const resident = s?.role === 'resident' ? s.scope.resident : undefined;
  const [home] = useQuery(MY_HOME, { id: resident ?? '' }, !resident);
  const [places] = useQuery(PLACES_FOR_VOICE, {}, Boolean(resident));
  if (resident) {
    if (home.state !== 'ok') return home;
    return { state: 'ok', data: home.data.resident ? [home.data.resident.site] : [] };
  }
  if (places.state !== 'ok') return places;
  return { state: 'ok', data: places.data.sites.nodes };
}
