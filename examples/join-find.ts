// Joining orders to their users with Array.find inside map: each order scans the users array.
// Build a Map once (usersById) and the join becomes linear.
interface User { id: number; name: string; country: string }
interface Order { id: number; userId: number; total: number }

const users: User[] = Array.from({ length: 8_000 }, (_, i) => ({ id: i, name: `user ${i}`, country: i % 3 ? 'DE' : 'FR' }));
const orders: Order[] = Array.from({ length: 40_000 }, (_, i) => ({ id: i, userId: (i * 7919) % users.length, total: (i % 97) + 0.5 }));

function joinOrders(orders: Order[], users: User[]) {
  const rows = [];
  for (const order of orders) {
    const user = users.find(candidate => candidate.id === order.userId); // slow: linear search per order
    rows.push({ ...order, userName: user?.name, country: user?.country });
  }
  return rows;
}

const started = Date.now();
const joined = joinOrders(orders, users);
const revenueByCountry = new Map<string, number>();
for (const row of joined) revenueByCountry.set(row.country ?? '?', (revenueByCountry.get(row.country ?? '?') ?? 0) + row.total);
console.log(`${joined.length} rows joined in ${Date.now() - started} ms`, Object.fromEntries(revenueByCountry));
// Fix: const usersById = new Map(users.map(user => [user.id, user])); ... usersById.get(order.userId)
