import DataLoader from 'dataloader';
import { byGroupLoader, byIdLoader } from '@anju/kit';
import type { SurveyService } from './survey.service';

/** Per-request loaders of surveys: questions, respondent counts and "answered by me" for a page in one query each. */
export function surveyLoaders(surveys: SurveyService) {
  return {
    survey: byIdLoader((ids) => surveys.byIds(ids)),
    surveyQuestions: byGroupLoader(
      (ids) => surveys.questions(ids),
      (q) => q.surveyId,
    ),
    surveyRespondents: new DataLoader<string, number | null>(async (ids) => {
      const counts = await surveys.respondentCounts(ids);
      return ids.map((id) => (counts ? (counts.get(id) ?? 0) : null));
    }),
    surveyAnsweredByMe: new DataLoader<string, boolean>(async (ids) => {
      const mine = await surveys.answeredByMe(ids);
      return ids.map((id) => mine.has(id));
    }),
  };
}
