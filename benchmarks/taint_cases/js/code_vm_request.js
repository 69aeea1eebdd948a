const express = require('express');

const app = express();
app.use(express.json());

const vm = require('vm');

app.post('/sandbox', (req, res) => {
  res.json({ out: vm.runInNewContext(req.body.code, {}) });
});
