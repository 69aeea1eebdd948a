const express = require('express');

const app = express();
app.use(express.json());

app.get('/docs', (req, res) => {
  res.redirect(`https://docs.example.com/search?q=${encodeURIComponent(req.query.q)}`);
});
