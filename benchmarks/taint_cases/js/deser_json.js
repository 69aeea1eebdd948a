const express = require('express');

const app = express();
app.use(express.json());

app.get('/profile', (req, res) => {
  const profile = JSON.parse(Buffer.from(req.cookies.profile, 'base64').toString());
  res.json({ name: profile.name });
});
