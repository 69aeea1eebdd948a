const express = require('express');

const app = express();
app.use(express.json());

const vm = require('vm');

const SCRIPT = 'Math.max(a, b)';

app.post('/max', (req, res) => {
  const result = vm.runInNewContext(SCRIPT, { a: Number(req.body.a), b: Number(req.body.b) });
  res.json({ result });
});
