import { pageSize } from '@anju/kit';
import type { GovernanceContext } from '../context';
import type { AnswerInput, CreateSurveyInput, QuestionRow, SurveyRow } from './survey.service';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
type Ctx = GovernanceContext;

export const surveyResolvers = {
  SurveyKind: { SATISFACTION: 'satisfaction', BELONGING: 'belonging' },
  SurveyQuestionKind: { SCALE: 'scale', CHOICE: 'choice', NEED: 'need' },
  SurveyStatus: { OPEN: 'open', CLOSED: 'closed' },
  SurveyNeed: {
    JOB_HELP: 'job_help',
    TRAINING: 'training',
    ELDERLY_CARE: 'elderly_care',
    CHILD_CARE: 'child_care',
    HEALTH: 'health',
    LEGAL_AID: 'legal_aid',
    INTEGRATION: 'integration',
    DAILY_LIFE: 'daily_life',
  },
  Query: {
    survey: (_: unknown, a: { id: string }, ctx: Ctx) => ctx.loaders.survey.load(a.id),
    surveys: (_: unknown, a: { siteId?: string; first?: number; after?: string }, ctx: Ctx) => ctx.surveys.list(a),
    surveyResults: (_: unknown, a: { surveyId: string }, ctx: Ctx) => ctx.surveys.results(a.surveyId),
  },
  Mutation: {
    createSurvey: (_: unknown, a: { input: CreateSurveyInput }, ctx: Ctx) => ctx.surveys.create(a.input),
    answerSurvey: (_: unknown, a: { surveyId: string; answers: AnswerInput[] }, ctx: Ctx) =>
      ctx.surveys.answer(a.surveyId, a.answers),
    closeSurvey: (_: unknown, a: { surveyId: string }, ctx: Ctx) => ctx.surveys.close(a.surveyId),
  },
  Survey: {
    site: (s: SurveyRow, _: unknown, ctx: Ctx) => ctx.loaders.site.load(s.siteId),
    opensAt: (s: SurveyRow) => iso(s.opensAt),
    closesAt: (s: SurveyRow) => iso(s.closesAt),
    closedAt: (s: SurveyRow) => iso(s.closedAt),
    questions: (s: SurveyRow, _: unknown, ctx: Ctx) => ctx.loaders.surveyQuestions.load(s.id),
    respondentCount: (s: SurveyRow, _: unknown, ctx: Ctx) => ctx.loaders.surveyRespondents.load(s.id),
    answeredByMe: (s: SurveyRow, _: unknown, ctx: Ctx) => ctx.loaders.surveyAnsweredByMe.load(s.id),
  },
  SurveyQuestion: {
    options: (q: QuestionRow) => (q.kind === 'need' ? [] : q.options),
  },
  // Lists of a result take `first`, so that the query cost counts what they hold, not the unpaged default.
  SurveyResults: { groups: (r: { groups: unknown[] }, a: { first?: number }) => r.groups.slice(0, pageSize(a.first)) },
  SurveyQuestionResult: {
    answers: (q: { answers: unknown[] }, a: { first?: number }) => q.answers.slice(0, pageSize(a.first)),
  },
  SurveyGroupResult: {
    questions: (g: { questions: unknown[] }, a: { first?: number }) => g.questions.slice(0, pageSize(a.first)),
    building: (g: { buildingId: string | null }, _: unknown, ctx: Ctx) =>
      g.buildingId ? ctx.loaders.building.load(g.buildingId) : null,
  },
};
