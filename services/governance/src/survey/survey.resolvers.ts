import type { Resolvers } from '../generated/graphql';
import { required, isoInstant, pageSize } from '@anju/kit';

export const surveyResolvers: Resolvers = {
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
    survey: (_, a, ctx) => ctx.loaders.survey.load(a.id),
    surveys: (_, a, ctx) => ctx.surveys.list(a),
    surveyResults: (_, a, ctx) => ctx.surveys.results(a.surveyId),
  },
  Mutation: {
    createSurvey: (_, a, ctx) => ctx.surveys.create(a.input),
    answerSurvey: (_, a, ctx) => ctx.surveys.answer(a.surveyId, a.answers),
    closeSurvey: (_, a, ctx) => ctx.surveys.close(a.surveyId),
  },
  Survey: {
    site: (s, _, ctx) => required(ctx.loaders.site.load(s.siteId), 'siteId'),
    opensAt: (s) => isoInstant(s.opensAt),
    closesAt: (s) => isoInstant(s.closesAt),
    closedAt: (s) => isoInstant(s.closedAt),
    questions: (s, _, ctx) => ctx.loaders.surveyQuestions.load(s.id),
    respondentCount: (s, _, ctx) => ctx.loaders.surveyRespondents.load(s.id),
    answeredByMe: (s, _, ctx) => ctx.loaders.surveyAnsweredByMe.load(s.id),
  },
  SurveyQuestion: {
    options: (q) => (q.kind === 'need' ? [] : q.options),
  },
  // Lists of a result take `first`, so that the query cost counts what they hold, not the unpaged default.
  SurveyResults: { groups: (r, a) => r.groups.slice(0, pageSize(a.first)) },
  SurveyQuestionResult: {
    answers: (q, a) => q.answers.slice(0, pageSize(a.first)),
  },
  SurveyGroupResult: {
    questions: (g, a) => g.questions.slice(0, pageSize(a.first)),
    building: (g, _, ctx) => (g.buildingId ? ctx.loaders.building.load(g.buildingId) : null),
  },
};
