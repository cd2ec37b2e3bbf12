import { EVENTS, SERVICES, eventsConsumedBy, type EventName, type ServiceName } from './catalog';
import { indexHandlers } from './event-consumer';
import { defineHandler } from './handler';
import { siteRegisteredHandler } from './site-directory';

const noop = async () => undefined;

describe('a worker checks its handlers against the contract before it runs', () => {
  it('accepts exactly one handler per routed event', () => {
    for (const service of SERVICES) {
      const handlers = eventsConsumedBy(service).map((e) =>
        e === 'site.registered' ? siteRegisteredHandler : defineHandler(e, noop),
      );
      expect([...indexHandlers(service, handlers).keys()].sort()).toEqual(eventsConsumedBy(service).sort());
    }
  });

  it('refuses a missing handler, a second handler and a handler for an event not routed to it', () => {
    const complete = (service: ServiceName) =>
      eventsConsumedBy(service).map((e) => (e === 'site.registered' ? siteRegisteredHandler : defineHandler(e, noop)));
    expect(() =>
      indexHandlers(
        'employment',
        complete('employment').filter((h) => h.event !== 'resident.registered'),
      ),
    ).toThrow(/no handler for resident.registered/);
    expect(() => indexHandlers('matching', [...complete('matching'), siteRegisteredHandler])).toThrow(
      /two handlers for site.registered/,
    );
    const notRouted = (Object.keys(EVENTS) as EventName[]).find((e) => !EVENTS[e].consumers.includes('matching'))!;
    expect(() => indexHandlers('matching', [...complete('matching'), defineHandler(notRouted, noop)])).toThrow(
      new RegExp(`${notRouted} is not routed to matching`),
    );
  });
});
