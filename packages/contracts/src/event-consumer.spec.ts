import { eventsConsumedBy } from './catalog';
import { indexHandlers } from './event-consumer';
import { defineHandler } from './handler';
import { siteRegisteredHandler } from './site-directory';

const noop = async () => undefined;

describe('a worker checks its handlers against the contract before it runs', () => {
  it('accepts exactly one handler per routed event', () => {
    const handlers = eventsConsumedBy('employment').map((e) => (e === 'site.registered' ? siteRegisteredHandler : defineHandler(e, noop)));
    expect([...indexHandlers('employment', handlers).keys()].sort()).toEqual(eventsConsumedBy('employment').sort());
  });

  it('refuses a missing handler, a second handler and a handler for an event not routed to it', () => {
    expect(() => indexHandlers('employment', [siteRegisteredHandler])).toThrow(/no handler for resident.registered/);
    expect(() => indexHandlers('matching', [siteRegisteredHandler, siteRegisteredHandler])).toThrow(/two handlers for site.registered/);
    expect(() => indexHandlers('matching', [siteRegisteredHandler, defineHandler('resident.registered', noop)])).toThrow(/not routed to matching/);
  });
});
