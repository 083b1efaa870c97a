import { ApiProperty } from '@nestjs/swagger';

/** A working session of the caller (`GET /auth/sessions`). */
export class SessionResponse {
  @ApiProperty({ format: 'uuid', description: 'The `sid` of its access tokens' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'When it was signed in' }) created_at: string;
  @ApiProperty({ format: 'date-time', description: 'The last sign-in or refresh' })
  last_used_at: string;
  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (iPhone; …)' })
  user_agent: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ description: 'True for the session of the token making this request' })
  current: boolean;
}
