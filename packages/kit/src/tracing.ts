import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { PlatformConfig } from './config';
import type { Lifecycle } from './lifecycle';

/**
 * Traces (OpenTelemetry) across gateway → subgraphs → outbox → job → handler: one trace shows a
 * mutation and every effect of its events. Spans are made by hand at those five places, not by
 * the auto-instrumentation of `http`: that must patch modules before they load (not so under
 * tsx or jest) and would trace every health probe, scrape and Redis round trip besides.
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Off, no provider is registered: every helper
 * here returns after one boolean test, and @opentelemetry/api hands out non-recording spans to
 * whatever else asks (@apollo/gateway makes its own spans through it).
 *
 * The outbox carries the context: `publish` stores the W3C `traceparent` of its span with the
 * row, the relay copies it into the event's envelope, and the consumer starts each handler's span
 * as a child of it (see `eventSpans`).
 */
export type TracingConfig = Pick<PlatformConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_TRACES_SAMPLE_RATIO'>;

let enabled = false;
/** What `inSpan` hands `fn` while tracing is off: records nothing. */
const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Whether spans are recorded in this process (an exporter is installed). */
export function tracingOn(): boolean {
  return enabled;
}

function install(
  service: string,
  processor: SimpleSpanProcessor | BatchSpanProcessor,
  ratio: number,
): BasicTracerProvider {
  const p = new BasicTracerProvider({
    resource: new Resource({ 'service.name': service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [processor],
  });
  p.register({
    contextManager: new AsyncLocalStorageContextManager().enable(),
    propagator: new W3CTraceContextPropagator(),
  });
  enabled = true;
  return p;
}

/**
 * Starts exporting this process's spans over OTLP when the config names a collector; flushes
 * them when the process stops. A second call in one process (the in-process test system) keeps
 * the provider already there.
 */
export function startTracing(config: TracingConfig, service: string, lifecycle: Lifecycle): void {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT || enabled) return;
  const url = new URL('v1/traces', config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/?$/, '/')).toString();
  const p = install(service, new BatchSpanProcessor(new OTLPTraceExporter({ url })), config.OTEL_TRACES_SAMPLE_RATIO);
  lifecycle.onStop('tracing export', () => p.forceFlush());
}

/** Records every span of this process into `exporter` at once (tests); `stop` turns tracing off again. */
export function recordSpans(exporter: SpanExporter, service = 'anju'): { stop(): Promise<void> } {
  if (enabled) throw new Error('tracing is already on in this process');
  const p = install(service, new SimpleSpanProcessor(exporter), 1);
  return {
    async stop() {
      await p.shutdown();
      enabled = false;
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The tracer of one component (`governance-api`, `gateway`): its name shows where a span was made. */
export function tracer(component: string): Tracer {
  return trace.getTracer(`anju.${component}`);
}

/** The W3C `traceparent` of the active span, if one is recording (what an outbox row keeps). */
export function currentTraceparent(): string | null {
  if (!enabled) return null;
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The spans `inBatchTraces` opened for the traces of the events at hand, by `traceparent`. */
const EVENT_SPANS = createContextKey('anju.event-spans');

/** A span that announces messages: the `traceparent` they carry names it. */
export interface ProducerSpan {
  traceparent: string | null;
  end(attributes?: Attributes): void;
}
const NO_PRODUCER: ProducerSpan = { traceparent: null, end: () => undefined };

/**
 * Opens a PRODUCER span under the active one (an outbox write): the events written keep its
 * `traceparent`, so their consumers' spans hang below the write that announced them.
 */
export function producerSpan(component: string, name: string, attributes: Attributes): ProducerSpan {
  if (!enabled) return NO_PRODUCER;
  const span = tracer(component).startSpan(name, { kind: SpanKind.PRODUCER, attributes });
  return {
    traceparent: context.with(trace.setSpan(context.active(), span), currentTraceparent),
    end: (more) => {
      if (more) span.setAttributes(more);
      span.end();
    },
  };
}

/** The context a stored `traceparent` continues (the root when there is none or it is malformed). */
export function contextOf(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Links to the spans these `traceparent`s name (each once), for a span serving many traces at once (a batch). */
export function linksTo(traceparents: Iterable<string | null | undefined>): Link[] {
  const links: Link[] = [];
  for (const tp of new Set(traceparents)) {
    const span = tp ? trace.getSpanContext(contextOf(tp)) : undefined;
    if (span && trace.isSpanContextValid(span)) links.push({ context: span });
  }
  return links;
}

/**
 * Work done for many events at once (one handler call on a batch), traced in each event's own
 * trace: one span per distinct `traceparent`, a child of it, linked to the active span (the
 * job's), carrying how many of the batch's events came from that trace. `fn` runs under the one
 * span when the batch has a single trace, else under the active span — so what it publishes
 * continues that trace or links back through the job's span; `inEventTrace` reaches each span.
 */
export async function inBatchTraces<T>(
  component: string,
  name: string,
  traceparents: (string | null | undefined)[],
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  if (!enabled) return fn();
  const counts = new Map<string, number>();
  for (const tp of traceparents) if (tp) counts.set(tp, (counts.get(tp) ?? 0) + 1);
  const active = trace.getActiveSpan()?.spanContext();
  const links = active && trace.isSpanContextValid(active) ? [{ context: active }] : [];
  const t = tracer(component);
  const spans = new Map<string, Span>();
  for (const [tp, count] of counts) {
    spans.set(
      tp,
      t.startSpan(
        name,
        { kind: SpanKind.CONSUMER, links, attributes: { ...attributes, 'messaging.batch.message_count': count } },
        contextOf(tp),
      ),
    );
  }
  const only = spans.size === 1 ? [...spans.values()][0] : undefined;
  const ctx = (only ? trace.setSpan(context.active(), only) : context.active()).setValue(EVENT_SPANS, spans);
  try {
    return await context.with(ctx, fn);
  } catch (err) {
    spans.forEach((s) => failed(s, err));
    throw err;
  } finally {
    spans.forEach((s) => s.end());
  }
}

/**
 * Runs `fn` inside a new span and ends it when `fn` settles, recording a failure on it. With
 * tracing off, `fn` runs alone.
 */
export async function inSpan<T>(
  t: Tracer,
  name: string,
  opts: { kind?: SpanKind; attributes?: Attributes; links?: Link[]; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!enabled) return fn(NOT_RECORDING);
  const parent = opts.parent ?? context.active();
  const span = t.startSpan(name, { kind: opts.kind, attributes: opts.attributes, links: opts.links }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error that ended it. */
export function failed(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/**
 * The server span of an HTTP request, a child of the caller's `traceparent` header when it sends
 * one (the gateway's fetch, a portal that traces itself). Named by the operation once GraphQL
 * has resolved it (`tracingPlugins`).
 */
export function serverSpanMiddleware(component: string): RequestHandler {
  const t = tracer(component);
  return (req, res, next) => {
    if (!enabled) return next();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = t.startSpan(
      `${req.method} ${req.baseUrl || req.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method, 'url.path': req.originalUrl.split('?')[0] },
      },
      parent,
    );
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/**
 * Names the request's span after its GraphQL operation (`mutation registerResident`). Only in the
 * plugin list while tracing is on (`...tracingPlugins()`): off, it costs not even a hook call.
 */
export function tracingPlugins(): ApolloServerPlugin[] {
  if (!enabled) return [];
  return [
    {
      async requestDidStart() {
        return {
          async didResolveOperation({ operation, operationName }) {
            const type = operation?.operation ?? 'graphql';
            const span = trace.getActiveSpan();
            span?.updateName(`${type} ${operationName ?? 'anonymous'}`);
            span?.setAttributes({ 'graphql.operation.type': type, 'graphql.operation.name': operationName ?? '' });
          },
        };
      },
    },
  ];
}

/** `fn`, to be called later under the span active now (with tracing off, `fn` itself); see bindToCurrentRequest. */
export function bindToActiveSpan<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return enabled ? context.bind(context.active(), fn) : fn;
}

/** Adds the `traceparent` of the active span to outgoing headers (a subgraph request). */
export function injectTraceparent(headers: { set(name: string, value: string): void }): void {
  if (!enabled) return;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  for (const [k, v] of Object.entries(carrier)) headers.set(k, v);
}

/**
 * Runs one event's work in its own trace: under the span `inBatchTraces` opened for the event's
 * `traceparent` (a handler that applies events one at a time, so what it publishes continues
 * that event's trace).
 */
export function inEventTrace<T>(traceparent: string | null | undefined, fn: () => T): T {
  if (!enabled || !traceparent) return fn();
  const span = (context.active().getValue(EVENT_SPANS) as Map<string, Span> | undefined)?.get(traceparent);
  return span ? context.with(trace.setSpan(context.active(), span), fn) : fn();
}

export { ROOT_CONTEXT, SpanKind };
