const express = require('express');

const app = express();
app.use(express.json());

const TARGETS = ['/home', '/account', '/orders'];

app.get('/continue', (req, res) => {
  const target = req.query.to;
  if (!TARGETS.includes(target)) {
    return res.redirect('/home');
  }
  res.redirect(target);
});
