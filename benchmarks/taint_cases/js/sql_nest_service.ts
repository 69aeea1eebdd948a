import { Body, Controller, Post } from '@nestjs/common';
import { UsersService } from './nest/users/users.service';
import { LookupDto } from './nest/users/lookup.dto';

@Controller('users')
export class UsersLookupController {
  constructor(private readonly users: UsersService) {}

  @Post('by-email')
  byEmail(@Body() dto: LookupDto) {
    return this.users.findByEmail(dto.email);
  }
}
