import { ApiProperty } from '@nestjs/swagger';

/** 202: the request is taken; what follows arrives by mail. */
export class AcceptedResponse {
  @ApiProperty({ example: 'accepted', enum: ['accepted'] }) status: 'accepted';
  @ApiProperty({
    example: 'If the address belongs to an account, a mail with a link is on its way',
  })
  message: string;
}
