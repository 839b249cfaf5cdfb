// Writes synthetic credit applications: data/train.csv (the reference) and data/current.csv (this month's
// applicants, whose incomes fell and debt ratios rose), for the versioning and drift steps of the demo.
import { mkdirSync, writeFileSync } from 'node:fs';

let seed = 11;
const rand = () => ((seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
const purposes = ['home', 'car', 'education', 'business'];

function table(rows, shift) {
  const lines = ['annual_income,loan_amount,employment_years,existing_debt_ratio,credit_history_months,purpose,defaulted'];
  for (let i = 0; i < rows; i++) {
    const income = Math.max(8000, 62000 * (1 - shift * 0.25) + 21000 * normal());
    const loan = Math.max(1000, 18000 + 9000 * normal());
    const years = Math.min(60, Math.max(0, 7 + 5 * normal()));
    const debt = Math.min(1, Math.max(0, 0.28 + shift * 0.12 + 0.12 * normal()));
    const history = Math.max(0, Math.round(110 + 60 * normal()));
    const purpose = purposes[Math.floor(rand() * (shift ? 2 : 4))];
    const risk = -2 + 2.5 * debt - income / 80000 + loan / 60000;
    lines.push([income.toFixed(2), loan.toFixed(2), years.toFixed(1), debt.toFixed(4), history, purpose, rand() < 1 / (1 + Math.exp(-risk)) ? 1 : 0].join(','));
  }
  return `${lines.join('\n')}\n`;
}

mkdirSync('data', { recursive: true });
writeFileSync('data/train.csv', table(5000, 0));
writeFileSync('data/current.csv', table(2000, 1));
console.log('wrote data/train.csv (5,000 rows) and data/current.csv (2,000 rows)');
