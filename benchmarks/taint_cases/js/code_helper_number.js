const express = require('express');

const app = express();
app.use(express.json());

const { evaluateNumber } = require('./lib/calc');

app.post('/double', (req, res) => {
  res.json({ result: evaluateNumber(req.body.value) });
});
