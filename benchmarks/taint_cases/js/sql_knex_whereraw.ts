import express from 'express';
import knex from './lib/knex';

const app = express();

app.get('/users', async (req, res) => {
  const name = req.query.name as string;
  res.json(await knex('users').whereRaw(`lower(name) = lower('${name}')`));
});
