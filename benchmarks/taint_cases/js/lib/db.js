// Data access helpers shared by the case handlers.
const { Pool } = require('pg');

const pool = new Pool();

async function findByName(name) {
  const sql = "SELECT id, name FROM customers WHERE name LIKE '%" + name + "%'";
  return (await pool.query(sql)).rows;
}

async function findById(id) {
  return (await pool.query('SELECT id, name FROM customers WHERE id = $1', [id])).rows[0];
}

function statusClause(status) {
  return `status = '${status}'`;
}

async function countWhere(clause) {
  return (await pool.query('SELECT count(*) FROM orders WHERE ' + clause)).rows[0];
}

module.exports = { pool, findByName, findById, statusClause, countWhere };
