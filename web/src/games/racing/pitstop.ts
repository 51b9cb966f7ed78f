/**
 * The pit-stop quiz over the paused track: fetch the session's next question, answer it, show whether it was
 * right with the explanation and its source, then go back to the race. The server keeps the answer key and
 * records the result on the session (a correct answer raises the session's score limit).
 */
import { ApiError } from '../../api/client';
import { answerRacingQuestion, getRacingQuestion, type QuizAnswer, type QuizQuestion } from '../../api/games';
import { clear, h } from '../../ui/dom';

export type PitReason = 'scheduled' | 'life' | 'rescue';
export type PitOutcome = 'correct' | 'wrong' | 'skipped' | 'unavailable';

export interface QuizApi {
  question(sessionId: number): Promise<QuizQuestion>;
  answer(sessionId: number, questionId: number, answerId: number): Promise<QuizAnswer>;
}

export const SERVER_QUIZ: QuizApi = { question: getRacingQuestion, answer: answerRacingQuestion };

const INTRO: Record<PitReason, string> = {
  scheduled: 'Answer right for +250 points (and a life back if you have lost one).',
  life: 'You lost a life. Answer right to win it back, plus 250 points.',
  rescue: 'Out of lives! Answer right to get back in the race.',
};

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

export interface PitStop {
  el: HTMLElement;
  readonly open: boolean;
  show(sessionId: number, reason: PitReason, bonus: number, done: (outcome: PitOutcome, message: string) => void): void;
  close(): void;
}

export function pitStop(api: QuizApi = SERVER_QUIZ): PitStop {
  const title = h('h2', { class: 'race-panel-title', id: 'race-pit-title', tabindex: '-1' }, 'Pit stop!');
  const intro = h('p', { class: 'pit-intro' });
  const body = h('div', { class: 'pit-body' });
  const result = h('div', { class: 'pit-result', role: 'status' });
  const actions = h('div', { class: 'race-panel-actions' });
  const el = h(
    'div',
    { class: 'race-overlay race-overlay--pit', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'race-pit-title', hidden: true },
    h('div', { class: 'race-panel race-panel--pit' }, h('p', { class: 'race-kicker' }, 'Pit-stop quiz'), title, intro, body, result, actions),
  );
  let isOpen = false;
  let token = 0;

  const finish = (outcome: PitOutcome, message: string, done: (o: PitOutcome, m: string) => void): void => {
    if (!isOpen) return;
    isOpen = false;
    el.hidden = true;
    done(outcome, message);
  };

  const continueButton = (label: string, onClick: () => void): HTMLButtonElement => {
    const button = h('button', { type: 'button', class: 'button button--race' }, label);
    button.addEventListener('click', onClick);
    return button;
  };

  return {
    el,
    get open() {
      return isOpen;
    },
    show(sessionId, reason, bonus, done) {
      const mine = ++token;
      isOpen = true;
      el.hidden = false;
      intro.textContent = INTRO[reason].replace('250', String(bonus));
      clear(body);
      clear(result);
      clear(actions);
      result.className = 'pit-result';
      body.append(h('p', { class: 'pit-loading' }, 'Fetching a question…'));
      const skip = h('button', { type: 'button', class: 'button button--ghost-dark' }, reason === 'rescue' ? 'End the race' : 'Skip pit stop');
      skip.addEventListener('click', () => finish('skipped', reason === 'rescue' ? 'Race over.' : 'Pit stop skipped.', done));
      actions.append(skip);
      title.focus();

      api.question(sessionId).then(
        (question) => {
          if (mine !== token || !isOpen) return;
          clear(body);
          const list = h('ul', { class: 'pit-answers', 'aria-label': 'Answers' });
          const buttons: HTMLButtonElement[] = [];
          question.answers.forEach((answer, i) => {
            const button = h(
              'button',
              { type: 'button', class: 'pit-answer', 'data-answer-id': answer.id },
              h('span', { class: 'pit-letter', 'aria-hidden': 'true' }, LETTERS[i] ?? String(i + 1)),
              h('span', { class: 'pit-answer-text' }, answer.text),
              h('span', { class: 'pit-verdict' }),
            );
            button.addEventListener('click', () => choose(answer.id));
            buttons.push(button);
            list.append(h('li', undefined, button));
          });
          body.append(h('p', { class: 'pit-question', id: 'race-pit-question' }, question.question), list);
          buttons[0]?.focus();

          const choose = (answerId: number): void => {
            if (buttons.some((b) => b.disabled)) return;
            for (const b of buttons) b.disabled = true;
            skip.disabled = true;
            result.textContent = 'Checking…';
            api.answer(sessionId, question.question_id, answerId).then(
              (answer) => {
                if (mine !== token || !isOpen) return;
                for (const b of buttons) {
                  const id = Number(b.dataset['answerId']);
                  const verdict = b.querySelector('.pit-verdict');
                  if (id === answer.correct_answer_id) {
                    b.classList.add('is-correct');
                    if (verdict) verdict.textContent = id === answerId ? '✓ Your answer: correct' : '✓ Correct answer';
                  } else if (id === answerId) {
                    b.classList.add('is-wrong');
                    if (verdict) verdict.textContent = '✗ Your answer';
                  }
                }
                showResult(answer);
              },
              (err: unknown) => {
                if (mine !== token || !isOpen) return;
                unavailable(err);
              },
            );
          };

          const showResult = (answer: QuizAnswer): void => {
            clear(result);
            result.className = `pit-result ${answer.correct ? 'pit-result--correct' : 'pit-result--wrong'}`;
            const headline = answer.correct
              ? reason === 'rescue'
                ? `Correct! Back in the race with a life and +${bonus} points.`
                : `Correct! +${bonus} points${reason === 'life' ? ' and your life back' : ''}.`
              : reason === 'rescue'
                ? 'Not this time: the race is over.'
                : 'Not quite.';
            result.append(
              h('p', { class: 'pit-headline' }, headline),
              h('p', { class: 'pit-explanation' }, answer.explanation),
              h('p', { class: 'pit-source' }, h('span', undefined, 'Source: '), answer.source),
            );
            clear(actions);
            const label = !answer.correct && reason === 'rescue' ? 'See your score' : 'Back to the race';
            const go = continueButton(label, () => finish(answer.correct ? 'correct' : 'wrong', headline, done));
            actions.append(go);
            go.focus();
          };
        },
        (err: unknown) => {
          if (mine !== token || !isOpen) return;
          unavailable(err);
        },
      );

      const unavailable = (err: unknown): void => {
        clear(body);
        const noneLeft = err instanceof ApiError && (err.status === 422 || err.status === 409);
        const message = noneLeft ? 'No pit-stop question this time.' : 'The pit crew could not reach the server for a question.';
        result.textContent = message;
        clear(actions);
        const go = continueButton(reason === 'rescue' ? 'See your score' : 'Back to the race', () =>
          finish('unavailable', message, done),
        );
        actions.append(go);
        go.focus();
      };
    },
    close() {
      token += 1;
      isOpen = false;
      el.hidden = true;
    },
  };
}
