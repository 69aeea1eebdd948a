const express = require('express');

const app = express();
app.use(express.json());

const { evaluate } = require('./lib/calc');

app.post('/calc', (req, res) => {
  res.json({ result: evaluate(req.body.expression) });
});
