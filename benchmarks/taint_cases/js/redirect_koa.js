const Router = require('@koa/router');

const router = new Router();

router.get('/out', (ctx) => {
  ctx.redirect(ctx.query.url);
});

module.exports = router;
