const express = require('express');

const app = express();
app.use(express.json());

app.get('/hello', (req, res) => {
  res.json({ greeting: 'Hello ' + req.query.name });
});
