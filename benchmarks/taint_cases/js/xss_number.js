const express = require('express');

const app = express();
app.use(express.json());

app.get('/count', (req, res) => {
  const n = Number(req.query.n);
  res.send('<p>You asked for ' + n + ' items</p>');
});
