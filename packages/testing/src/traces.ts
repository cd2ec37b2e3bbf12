import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordSpans } from '@anju/kit';

/**
 * Every span the in-process system makes, kept in memory (start it before `TestSystem.start`:
 * tracing is on only in a process that has an exporter). `stop` turns tracing off again.
 */
export function recordTraces(): { spans(): ReadableSpan[]; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const recording = recordSpans(exporter, 'anju-test');
  return { spans: () => exporter.getFinishedSpans(), stop: () => recording.stop() };
}
