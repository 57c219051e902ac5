import { FirstReadCounter } from '../lib/first-read-counter';

it('counts the reads of ids never read before, per window, remembering ids across windows', () => {
  const counter = new FirstReadCounter();
  for (const id of ['a', 'b', 'a']) counter.record(id);
  expect(counter.firstReadShare()).toBeCloseTo(2 / 3);

  counter.startWindow();
  for (const id of ['a', 'b', 'c', 'a']) counter.record(id);

  expect(counter.firstReadShare()).toBe(1 / 4);
});

it('has no share for a window without reads', () => {
  const counter = new FirstReadCounter();
  counter.record('a');
  counter.startWindow();
  expect(counter.firstReadShare()).toBeNaN();
});
