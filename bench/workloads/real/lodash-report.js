// Real program: group, sort and summarise 200,000 records with lodash (~1 s).
const _ = require('lodash');
const records = Array.from({ length: 200_000 }, (_unused, i) => ({ id: i, team: `team${i % 97}`, score: (i * 7919) % 1000, tags: [`t${i % 13}`, `t${i % 7}`] }));
const started = performance.now();
let checksum = 0;
for (let round = 0; round < 3; round++) {
  const byTeam = _.groupBy(records, 'team'); // USER: grouping
  const ranked = _.map(byTeam, (members, team) => ({ team, best: _.maxBy(members, 'score').score, mean: _.meanBy(members, 'score') }));
  const sorted = _.sortBy(ranked, ['best', 'team']); // USER: sorting
  const tags = _.countBy(_.flatMap(records, 'tags')); // USER: tag counts
  checksum += sorted.length + Object.keys(tags).length;
}
console.log(`checksum=${checksum} elapsed_ms=${(performance.now() - started).toFixed(1)}`);
