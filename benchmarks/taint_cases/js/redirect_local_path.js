const express = require('express');

const app = express();
app.use(express.json());

app.get('/items/go', (req, res) => {
  res.redirect('/items/' + encodeURIComponent(req.query.id));
});
