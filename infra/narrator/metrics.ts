// The narrator's metrics, registered in the Registry the caller passes (served at /metrics).
import { Counter, Gauge, type Registry } from 'prom-client';

export type NarratorMetrics = ReturnType<typeof createNarratorMetrics>;

export function createNarratorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    narrations: new Counter({
      name: 'pantheon_narrator_narrations_total',
      help: 'Narrations recorded, by use and by who wrote them (model, cache, offline) and why offline',
      labelNames: ['use', 'source', 'reason'] as const,
      registers,
    }),
    requests: new Counter({
      name: 'pantheon_narrator_model_requests_total',
      help: 'Calls to the model API (after the SDK retries), by endpoint and outcome',
      labelNames: ['endpoint', 'outcome'] as const,
      registers,
    }),
    tokens: new Counter({ name: 'pantheon_narrator_tokens_total', help: 'Model tokens spent, by kind', labelNames: ['kind'] as const, registers }),
    tokensToday: new Gauge({ name: 'pantheon_narrator_tokens_today', help: 'Tokens spent today (UTC), all narrator processes when Redis is shared', registers }),
    dailyBudget: new Gauge({ name: 'pantheon_narrator_daily_token_budget', help: 'The daily token cap (NARRATOR_DAILY_TOKENS)', registers }),
    budgetExhausted: new Gauge({ name: 'pantheon_narrator_budget_exhausted', help: '1 while the daily token budget is spent and the offline narrator speaks', registers }),
    circuitOpen: new Gauge({ name: 'pantheon_narrator_circuit_open', help: '1 while the circuit breaker keeps requests from the model (open or half open)', registers }),
    flagged: new Counter({ name: 'pantheon_narrator_flagged_total', help: 'Model texts the moderation endpoint flagged (not used)', labelNames: ['use'] as const, registers }),
  };
}
